extension Device: JSONWritable {
    /// The device as `Encodable` writes it, member for member, without the `Encoder` machinery.
    func writeJSON(to bytes: inout [UInt8]) {
        var fields = JSONFields()
        fields.add(CodingKeys.serialNumber, serialNumber, to: &bytes)
        fields.add(CodingKeys.description, description, to: &bytes)
        fields.add(CodingKeys.model, model, to: &bytes)
        fields.add(CodingKeys.os, os, to: &bytes)
        fields.add(CodingKeys.deviceFamily, deviceFamily, to: &bytes)
        fields.add(CodingKeys.color, color, to: &bytes)
        fields.add(CodingKeys.assetTag, assetTag, to: &bytes)
        fields.add(CodingKeys.profileUUID, profileUUID, to: &bytes)
        fields.add(CodingKeys.profileAssignTime, profileAssignTime, to: &bytes)
        fields.add(CodingKeys.profilePushTime, profilePushTime, to: &bytes)
        fields.add(CodingKeys.profileStatus, profileStatus, to: &bytes)
        fields.add(CodingKeys.deviceAssignedBy, deviceAssignedBy, to: &bytes)
        fields.add(CodingKeys.deviceAssignedDate, deviceAssignedDate, to: &bytes)
        fields.add(CodingKeys.mdmMigrationDeadline, mdmMigrationDeadline, to: &bytes)
        fields.add(CodingKeys.opType, opType, to: &bytes)
        fields.add(CodingKeys.opDate, opDate, to: &bytes)
        fields.add(CodingKeys.eid, eid, to: &bytes)
        fields.add(CodingKeys.ethernetMACAddress, ethernetMACAddress, to: &bytes)
        fields.add(CodingKeys.wifiMACAddress, wifiMACAddress, to: &bytes)
        fields.add(CodingKeys.bluetoothMACAddress, bluetoothMACAddress, to: &bytes)
        fields.add(CodingKeys.imei, imei, to: &bytes)
        fields.add(CodingKeys.meid, meid, to: &bytes)
        fields.add(CodingKeys.isReplacementDevice, isReplacementDevice, to: &bytes)
        fields.add(CodingKeys.releasedByReplacement, releasedByReplacement, to: &bytes)
        fields.add(CodingKeys.responseStatus, responseStatus, to: &bytes)
        fields.close(&bytes)
    }
}

extension FetchDeviceResponse: JSONWritable {
    /// The page as `Encodable` writes it, its up to 1000 devices written directly.
    func writeJSON(to bytes: inout [UInt8]) {
        var fields = JSONFields()
        if let devices {
            fields.add(CodingKeys.devices, devices, to: &bytes)
        }
        fields.add(CodingKeys.fetchedUntil, fetchedUntil, to: &bytes)
        fields.add(CodingKeys.moreToFollow, moreToFollow, to: &bytes)
        fields.add(CodingKeys.cursor, cursor, to: &bytes)
        fields.close(&bytes)
    }
}
