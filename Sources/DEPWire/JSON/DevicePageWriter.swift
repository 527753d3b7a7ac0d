#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Writes a fetch or sync page (dep-api §3.2, §3.3) straight into one byte buffer, entry by
/// entry from storage: the bytes `FetchDeviceResponse` encodes to with each device shaped by
/// the page's protocol version, without the structs, strings and dates in between.
///
/// Which keys a version has is decided once per page, by shaping a device that has every field
/// (`ProtocolVersion.shaped`, the one place that knows); keys are written in `Device`'s order.
public struct DevicePageWriter {
    private var bytes: [UInt8] = []
    private let shape: Shape
    private var hasDevice = false

    /// Starts a page for `version`, with room for about `expectedDevices` entries.
    public init(version: ProtocolVersion, expectedDevices: Int) {
        shape = Shape(version)
        bytes.reserveCapacity(64 + max(0, expectedDevices) * 768)
        raw(#"{"devices":["#)
    }

    /// Appends one entry, its keys and values as `Device` encodes them after shaping.
    public mutating func append(_ device: DeviceColumns) {
        raw(hasDevice ? #",{"serial_number":"# : #"{"serial_number":"#)
        hasDevice = true
        JSONString.write(utf8: device.serialNumber, to: &bytes)
        text(#","description":"#, device.description)
        text(#","model":"#, device.model)
        if shape.hasOS, let os = device.os {
            raw(#","os":"#)
            if let iPadOSName = shape.iPadOSName, os.elementsEqual("iPadOS".utf8) {
                JSONString.write(iPadOSName, to: &bytes)
            } else {
                JSONString.write(utf8: os, to: &bytes)
            }
        }
        if shape.hasFamily { text(#","device_family":"#, device.deviceFamily) }
        text(#","color":"#, device.color)
        text(#","asset_tag":"#, device.assetTag)
        text(#","profile_uuid":"#, device.profileUUID)
        date(#","profile_assign_time":"#, device.profileAssignTime)
        date(#","profile_push_time":"#, device.profilePushTime)
        if let status = device.profileStatus {
            switch status {
            case .empty: raw(#","profile_status":"empty""#)
            case .assigned: raw(#","profile_status":"assigned""#)
            case .pushed: raw(#","profile_status":"pushed""#)
            case .removed: raw(#","profile_status":"removed""#)
            }
        }
        text(#","device_assigned_by":"#, device.deviceAssignedBy)
        date(#","device_assigned_date":"#, device.deviceAssignedDate)
        if shape.hasMigrationDeadline { date(#","mdm_migration_deadline":"#, device.mdmMigrationDeadline) }
        if let type = device.opType {
            switch type {
            case .added: raw(#","op_type":"added""#)
            case .modified: raw(#","op_type":"modified""#)
            case .deleted: raw(#","op_type":"deleted""#)
            }
        }
        date(#","op_date":"#, device.opDate)
        if shape.hasEID { text(#","eid":"#, device.eid) }
        if shape.hasEthernetMAC { addresses(#","ethernet_mac_address":"#, device.ethernetMACAddress) }
        if shape.hasWiFiMAC { addresses(#","wifi_mac_address":"#, device.wifiMACAddress) }
        if shape.hasBluetoothMAC { addresses(#","bluetooth_mac_address":"#, device.bluetoothMACAddress) }
        if shape.hasIMEI { list(#","imei":"#, device.imei) }
        if shape.hasMEID { list(#","meid":"#, device.meid) }
        if shape.hasIsReplacementDevice { flag(#","is_replacement_device":"#, device.isReplacementDevice) }
        if shape.hasReleasedByReplacement { flag(#","released_by_replacement":"#, device.releasedByReplacement) }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Ends the page with its other keys and returns the body.
    public consuming func finish(fetchedUntil: Int64, moreToFollow: Bool, cursor: String) -> [UInt8] {
        raw(#"],"fetched_until":""#)
        DEPDate.append(unixSeconds: fetchedUntil, to: &bytes)
        raw(moreToFollow ? #"","more_to_follow":true,"cursor":"# : #"","more_to_follow":false,"cursor":"#)
        JSONString.write(cursor, to: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func text(_ key: StaticString, _ value: DeviceColumns.Text?) {
        guard let value else { return }
        raw(key)
        JSONString.write(utf8: value, to: &bytes)
    }

    private mutating func date(_ key: StaticString, _ seconds: Int64?) {
        guard let seconds else { return }
        raw(key)
        bytes.append(UInt8(ascii: "\""))
        DEPDate.append(unixSeconds: seconds, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func flag(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        raw(key)
        raw(value ? "true" : "false")
    }

    /// A stored list as `AddressList` encodes it: one address a string, any other count an array.
    private mutating func addresses(_ key: StaticString, _ joined: DeviceColumns.Text?) {
        guard let joined else { return }
        raw(key)
        guard joined.contains(UInt8(ascii: ",")) else { return JSONString.write(utf8: joined, to: &bytes) }
        let items = joined.split(separator: UInt8(ascii: ","))
        if items.count == 1 {
            JSONString.write(utf8: UnsafeBufferPointer(rebasing: items[0]), to: &bytes)
        } else {
            array(items)
        }
    }

    /// A stored list as `[String]` encodes it: always an array.
    private mutating func list(_ key: StaticString, _ joined: DeviceColumns.Text?) {
        guard let joined else { return }
        raw(key)
        guard joined.contains(UInt8(ascii: ",")) else {
            bytes.append(UInt8(ascii: "["))
            JSONString.write(utf8: joined, to: &bytes)
            bytes.append(UInt8(ascii: "]"))
            return
        }
        array(joined.split(separator: UInt8(ascii: ",")))
    }

    private mutating func array(_ items: [Slice<DeviceColumns.Text>]) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONString.write(utf8: UnsafeBufferPointer(rebasing: item), to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// The optional keys a version keeps, learnt from `ProtocolVersion.shaped`.
    private struct Shape {
        var hasOS: Bool
        /// What an iPad's `iPadOS` is written as, when the version says something else.
        var iPadOSName: String?
        var hasFamily: Bool
        var hasMigrationDeadline: Bool
        var hasEID: Bool
        var hasEthernetMAC: Bool
        var hasWiFiMAC: Bool
        var hasBluetoothMAC: Bool
        var hasIMEI: Bool
        var hasMEID: Bool
        var hasIsReplacementDevice: Bool
        var hasReleasedByReplacement: Bool

        init(_ version: ProtocolVersion) {
            let address: AddressList = "00:00:00:00:00:00"
            let probe = version.shaped(
                Device(
                    serialNumber: "", os: .iPadOS, deviceFamily: .iPad, mdmMigrationDeadline: Date(), eid: "",
                    ethernetMACAddress: address, wifiMACAddress: address, bluetoothMACAddress: address, imei: [],
                    meid: [], isReplacementDevice: true, releasedByReplacement: true))
            hasOS = probe.os != nil
            iPadOSName = probe.os.flatMap { $0 == .iPadOS ? nil : $0.rawValue }
            hasFamily = probe.deviceFamily != nil
            hasMigrationDeadline = probe.mdmMigrationDeadline != nil
            hasEID = probe.eid != nil
            hasEthernetMAC = probe.ethernetMACAddress != nil
            hasWiFiMAC = probe.wifiMACAddress != nil
            hasBluetoothMAC = probe.bluetoothMACAddress != nil
            hasIMEI = probe.imei != nil
            hasMEID = probe.meid != nil
            hasIsReplacementDevice = probe.isReplacementDevice != nil
            hasReleasedByReplacement = probe.releasedByReplacement != nil
        }
    }
}
