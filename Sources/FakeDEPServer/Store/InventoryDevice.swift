import DEPWire
import Foundation
import GRDB

/// One device of the organisation's inventory, with where it stands (a `devices` row).
struct InventoryDevice: Sendable, Hashable {
    // What Apple knows from the order; never changes.
    var serial: String
    var model: String
    var description: String
    var color: String?
    var assetTag: String?
    var os: String
    var family: String
    var productType: String
    var partNumber: String
    var capacity: String?
    var orderNumber: String
    var purchaseSource: String
    var imei: String?
    var meid: String?
    var eid: String?
    var wifiMAC: String?
    var ethernetMAC: String?
    var bluetoothMAC: String?
    var added: Int64
    // Where it stands.
    var released: Int64?
    var serverID: Int64?
    var assignedBy: String?
    var assignedDate: Int64?
    var profileUUID: String?
    var profileStatus: ProfileStatus = .empty
    var profileAssignTime: Int64?
    var profilePushTime: Int64?
    var migrationDeadline: Int64?
    var activationLocked = false
    var originalSerial: String?
    var replacementDate: Int64?
    var provisionalUntil: Int64?

    static let columns = """
        serial, model, description, color, asset_tag, os, family, product_type, part_number, capacity,
        order_number, purchase_source, imei, meid, eid, wifi_mac, ethernet_mac, bluetooth_mac, added,
        released, server_id, assigned_by, assigned_date, profile_uuid, profile_status, profile_assign_time,
        profile_push_time, migration_deadline, activation_locked, original_serial, replacement_date,
        provisional_until
        """

    /// `columns`, each qualified by the table alias `alias` (for joins).
    static func columns(qualifiedBy alias: String) -> String {
        columns.split(separator: ",").map { "\(alias)." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .joined(separator: ", ")
    }

    init(
        serial: String, model: String, description: String, color: String?, os: String, family: String,
        productType: String, partNumber: String, capacity: String?, orderNumber: String, purchaseSource: String,
        added: Int64
    ) {
        self.serial = serial
        self.model = model
        self.description = description
        self.color = color
        self.os = os
        self.family = family
        self.productType = productType
        self.partNumber = partNumber
        self.capacity = capacity
        self.orderNumber = orderNumber
        self.purchaseSource = purchaseSource
        self.added = added
    }

    /// Reads a row selected with `columns`, in that order, starting at column `offset`.
    init(row: Row, offset o: Int = 0) {
        serial = row[o + 0]
        model = row[o + 1]
        description = row[o + 2]
        color = row[o + 3]
        assetTag = row[o + 4]
        os = row[o + 5]
        family = row[o + 6]
        productType = row[o + 7]
        partNumber = row[o + 8]
        capacity = row[o + 9]
        orderNumber = row[o + 10]
        purchaseSource = row[o + 11]
        imei = row[o + 12]
        meid = row[o + 13]
        eid = row[o + 14]
        wifiMAC = row[o + 15]
        ethernetMAC = row[o + 16]
        bluetoothMAC = row[o + 17]
        added = row[o + 18]
        released = row[o + 19]
        serverID = row[o + 20]
        assignedBy = row[o + 21]
        assignedDate = row[o + 22]
        profileUUID = row[o + 23]
        profileStatus = ProfileStatus(rawValue: row[o + 24]) ?? .empty
        profileAssignTime = row[o + 25]
        profilePushTime = row[o + 26]
        migrationDeadline = row[o + 27]
        activationLocked = row[o + 28]
        originalSerial = row[o + 29]
        replacementDate = row[o + 30]
        provisionalUntil = row[o + 31]
    }

    /// The values for an insert of `columns`, in that order.
    var databaseValues: StatementArguments {
        [
            serial, model, description, color, assetTag, os, family, productType, partNumber, capacity,
            orderNumber, purchaseSource, imei, meid, eid, wifiMAC, ethernetMAC, bluetoothMAC, added,
            released, serverID, assignedBy, assignedDate, profileUUID, profileStatus.rawValue, profileAssignTime,
            profilePushTime, migrationDeadline, activationLocked, originalSerial, replacementDate,
            provisionalUntil,
        ]
    }

    /// The full wire record (every field of dep-api §3.10, v10); a protocol version shapes it.
    var wireDevice: Device {
        Device(
            serialNumber: serial, description: description, model: model, os: DeviceOS(rawValue: os),
            deviceFamily: DeviceFamily(rawValue: family), color: color, assetTag: assetTag,
            profileUUID: profileUUID, profileAssignTime: profileAssignTime.map(Date.init(unixSeconds:)),
            profilePushTime: profilePushTime.map(Date.init(unixSeconds:)), profileStatus: profileStatus,
            deviceAssignedBy: assignedBy, deviceAssignedDate: assignedDate.map(Date.init(unixSeconds:)),
            mdmMigrationDeadline: migrationDeadline.map(Date.init(unixSeconds:)), eid: eid,
            ethernetMACAddress: ethernetMAC.map(AddressList.init(joined:)),
            wifiMACAddress: wifiMAC.map(AddressList.init(joined:)),
            bluetoothMACAddress: bluetoothMAC.map(AddressList.init(joined:)),
            imei: imei.map(Self.split), meid: meid.map(Self.split),
            isReplacementDevice: originalSerial != nil ? true : nil)
    }

    /// Lists are stored comma-separated; most hold one value.
    static func split(_ joined: String) -> [String] {
        guard joined.utf8.contains(UInt8(ascii: ",")) else { return [joined] }
        return joined.utf8.split(separator: UInt8(ascii: ",")).map { String(decoding: $0, as: UTF8.self) }
    }
}

extension AddressList {
    /// A list stored comma-separated.
    init(joined: String) { self.init(InventoryDevice.split(joined)) }
}
