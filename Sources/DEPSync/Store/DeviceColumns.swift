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

    /// Apple's fields that describe the device, not the operation: all but `serial`, `op_type`
    /// and `op_date`.
    static let deviceFields = apple.filter { !["serial", "op_type", "op_date"].contains($0) }

    /// What the agent adds, after Apple's fields in a listing.
    static let local = ["first_seen", "removed", "assign_result"]

    /// `apple` then `local`, for a SELECT.
    static let selection = (apple + local).joined(separator: ", ")

    /// Of `deviceFields`, those whose stored values differ between `before` and `after`.
    static func changedFields(from before: Device, to after: Device) -> [String] {
        zip(apple, zip(values(of: before), values(of: after))).compactMap { name, pair in
            pair.0 != pair.1 && deviceFields.contains(name) ? name : nil
        }
    }

    /// `device`'s values for `apple`, in order.
    private static func values(of device: Device) -> [DatabaseValue] {
        [
            device.serialNumber.storable.databaseValue, text(device.description), text(device.model),
            text(device.os?.rawValue), text(device.deviceFamily?.rawValue), text(device.color),
            text(device.assetTag), text(device.profileUUID), time(device.profileAssignTime),
            time(device.profilePushTime), text(device.profileStatus?.rawValue), text(device.deviceAssignedBy),
            time(device.deviceAssignedDate), time(device.mdmMigrationDeadline), text(device.opType?.rawValue),
            time(device.opDate), text(device.eid), text(joined(device.ethernetMACAddress?.addresses)),
            text(joined(device.wifiMACAddress?.addresses)), text(joined(device.bluetoothMACAddress?.addresses)),
            text(joined(device.imei)), text(joined(device.meid)), flag(device.isReplacementDevice),
            flag(device.releasedByReplacement),
        ]
    }

    private static func text(_ value: String?) -> DatabaseValue { value?.storable.databaseValue ?? .null }
    private static func time(_ value: Date?) -> DatabaseValue { value?.storeValue.databaseValue ?? .null }
    private static func flag(_ value: Bool?) -> DatabaseValue { value?.databaseValue ?? .null }

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

    /// A stored list's items, split at each comma byte: the inverse of `joined` (a split by
    /// `Character` costs a grapheme break check a byte, and a comma followed by a combining
    /// mark would not even split).
    private static func split(_ text: String?) -> [String]? {
        text.map { $0.utf8.split(separator: UInt8(ascii: ",")).map { String(decoding: $0, as: UTF8.self) } }
    }
}
