import DEPWire
import Foundation
import GRDB

/// How Apple's device fields map onto the columns of `devices`: one list, used to write and to
/// read. Address and IMEI/MEID lists are stored comma-separated.
enum DeviceColumns {
    /// Apple's fields, in Apple's key order; `serial` first.
    static let apple = [
        "serial", "description", "model", "os", "device_family", "color", "asset_tag",
        "profile_uuid", "profile_assign_time", "profile_push_time", "profile_status",
        "device_assigned_by", "device_assigned_date", "mdm_migration_deadline", "op_type", "op_date",
        "eid", "ethernet_mac_address", "wifi_mac_address", "bluetooth_mac_address", "imei", "meid",
        "is_replacement_device", "released_by_replacement",
    ]

    /// What the agent adds, after Apple's fields in a listing.
    static let local = ["first_seen", "removed", "assign_result"]

    /// `apple` then `local`, for a SELECT.
    static let selection = (apple + local).joined(separator: ", ")

    /// Appends `device` as a JSON array of `apple`'s values, in order (times as Unix seconds,
    /// lists comma-separated, flags as booleans), for `json_each`.
    static func appendJSONRow(of device: Device, to json: inout [UInt8]) {
        var row = JSONRow()
        json.append(UInt8(ascii: "["))
        row.text(device.serialNumber, to: &json)
        row.text(device.description, to: &json)
        row.text(device.model, to: &json)
        row.text(device.os?.rawValue, to: &json)
        row.text(device.deviceFamily?.rawValue, to: &json)
        row.text(device.color, to: &json)
        row.text(device.assetTag, to: &json)
        row.text(device.profileUUID, to: &json)
        row.time(device.profileAssignTime, to: &json)
        row.time(device.profilePushTime, to: &json)
        row.text(device.profileStatus?.rawValue, to: &json)
        row.text(device.deviceAssignedBy, to: &json)
        row.time(device.deviceAssignedDate, to: &json)
        row.time(device.mdmMigrationDeadline, to: &json)
        row.text(device.opType?.rawValue, to: &json)
        row.time(device.opDate, to: &json)
        row.text(device.eid, to: &json)
        row.text(joined(device.ethernetMACAddress?.addresses), to: &json)
        row.text(joined(device.wifiMACAddress?.addresses), to: &json)
        row.text(joined(device.bluetoothMACAddress?.addresses), to: &json)
        row.text(joined(device.imei), to: &json)
        row.text(joined(device.meid), to: &json)
        row.flag(device.isReplacementDevice, to: &json)
        row.flag(device.releasedByReplacement, to: &json)
        json.append(UInt8(ascii: "]"))
    }

    /// Reads a row selected with `selection`.
    static func localDevice(_ row: Row) -> LocalDevice {
        var device = Device(serialNumber: row[0])
        device.description = row[1]
        device.model = row[2]
        device.os = (row[3] as String?).map(DeviceOS.init(rawValue:))
        device.deviceFamily = (row[4] as String?).map(DeviceFamily.init(rawValue:))
        device.color = row[5]
        device.assetTag = row[6]
        device.profileUUID = row[7]
        device.profileAssignTime = Date(storeValue: row[8])
        device.profilePushTime = Date(storeValue: row[9])
        device.profileStatus = (row[10] as String?).flatMap(ProfileStatus.init(rawValue:))
        device.deviceAssignedBy = row[11]
        device.deviceAssignedDate = Date(storeValue: row[12])
        device.mdmMigrationDeadline = Date(storeValue: row[13])
        device.opType = (row[14] as String?).flatMap(OperationType.init(rawValue:))
        device.opDate = Date(storeValue: row[15])
        device.eid = row[16]
        device.ethernetMACAddress = split(row[17]).map(AddressList.init)
        device.wifiMACAddress = split(row[18]).map(AddressList.init)
        device.bluetoothMACAddress = split(row[19]).map(AddressList.init)
        device.imei = split(row[20])
        device.meid = split(row[21])
        device.isReplacementDevice = row[22]
        device.releasedByReplacement = row[23]
        return LocalDevice(
            device: device, firstSeen: Date(storeValue: row[24]) ?? .distantPast, removed: Date(storeValue: row[25]),
            assignResult: row[26])
    }

    private static func joined(_ list: [String]?) -> String? { list?.joined(separator: ",") }

    private static func split(_ text: String?) -> [String]? {
        text.map { $0.isEmpty ? [] : $0.split(separator: ",").map(String.init) }
    }
}

/// Writes the values of one JSON array, separated by commas.
private struct JSONRow {
    private var count = 0

    private mutating func separate(_ json: inout [UInt8]) {
        if count > 0 { json.append(UInt8(ascii: ",")) }
        count += 1
    }

    mutating func text(_ value: String?, to json: inout [UInt8]) {
        separate(&json)
        if let value { DEPJSON.appendString(value, to: &json) } else { json.append(contentsOf: "null".utf8) }
    }

    mutating func time(_ value: Date?, to json: inout [UInt8]) {
        separate(&json)
        guard let seconds = value?.storeValue else { return json.append(contentsOf: "null".utf8) }
        let whole = seconds.rounded(.down)
        json.append(contentsOf: (whole == seconds && abs(whole) < 1e15 ? String(Int64(whole)) : String(seconds)).utf8)
    }

    mutating func flag(_ value: Bool?, to json: inout [UInt8]) {
        separate(&json)
        json.append(contentsOf: (value.map { $0 ? "true" : "false" } ?? "null").utf8)
    }
}
