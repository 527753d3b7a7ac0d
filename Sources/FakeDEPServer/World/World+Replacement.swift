import DEPWire
public import Foundation
import GRDB

/// A device's network identifiers, under the names the v10 device record gives them
/// (dep-api §3.10); each one absent is left to the portal.
public struct DeviceIdentifiers: Codable, Sendable, Hashable {
    public var imei: [String]?
    public var meid: [String]?
    public var eid: String?
    public var wifiMAC: String?
    public var ethernetMAC: String?
    public var bluetoothMAC: String?

    public init(
        imei: [String]? = nil, meid: [String]? = nil, eid: String? = nil, wifiMAC: String? = nil,
        ethernetMAC: String? = nil, bluetoothMAC: String? = nil
    ) {
        self.imei = imei
        self.meid = meid
        self.eid = eid
        self.wifiMAC = wifiMAC
        self.ethernetMAC = ethernetMAC
        self.bluetoothMAC = bluetoothMAC
    }

    enum CodingKeys: String, CodingKey {
        case imei, meid, eid, wifiMAC = "wifi_mac_address", ethernetMAC = "ethernet_mac_address"
        case bluetoothMAC = "bluetooth_mac_address"
    }

    /// Refuses an identifier with a control character, and a list entry that is empty or holds a
    /// comma (lists are stored comma-separated).
    func validate() throws {
        for (name, list) in [("An IMEI", imei), ("A MEID", meid)] {
            for entry in list ?? [] {
                try World.requirePrintable(entry, name)
                guard !entry.isEmpty, !entry.contains(",") else {
                    throw PortalError(.invalidRequest, "\(name) must be non-empty and hold no comma: \"\(entry)\".")
                }
            }
        }
        for (name, value) in [("An EID", eid), ("A MAC address", wifiMAC), ("A MAC address", ethernetMAC)]
            + [("A MAC address", bluetoothMAC)]
        {
            if let value { try World.requirePrintable(value, name) }
        }
    }
}

/// What an AppleCare replacement did, as the portal answers it.
public struct DeviceReplacement: Codable, Sendable, Hashable {
    /// The new device.
    public var serialNumber: String
    /// The device it replaces, now released.
    public var originalSerialNumber: String
    public var replacementDate: Date
    /// The MDM server the new device is assigned to: the old one's, if it had one.
    public var server: String?

    enum CodingKeys: String, CodingKey {
        case serialNumber = "serial_number", originalSerialNumber = "original_serial_number"
        case replacementDate = "replacement_date", server
    }
}

extension World {
    /// Replaces a device with a new one, as AppleCare does (dep-api §9, v10): the old device
    /// leaves its server (`deleted` with `released_by_replacement`) and the organisation; the new
    /// one joins the same order as the same product, remembers the serial it replaces and the
    /// day, and is assigned to the old device's server (`added`), if it had one.
    ///
    /// The new device's IMEI, MEID, EID and MAC addresses are those given, else made like the
    /// old device's. A new serial the organisation has is refused with `DUPLICATE_SERIAL`; one of
    /// a device released earlier is taken by the new device, as Configurator does.
    public func replaceDevice(_ oldText: String, with newText: String, identifiers: DeviceIdentifiers = .init())
        async throws -> DeviceReplacement
    {
        let oldSerial = try Self.requireSerial(oldText, "The serial number of the device to replace")
        let newSerial = try Self.requireSerial(newText, "The serial number of the replacement")
        try identifiers.validate()
        let now = self.now
        return try await store.write { db in
            let old = try requireDevice(oldSerial, db)
            let released = try Bool.fetchOne(
                db, sql: "SELECT released IS NOT NULL FROM devices WHERE serial = ?", arguments: [newSerial])
            if released == false {
                throw PortalError(
                    .duplicateSerial,
                    "The organisation already has a device with the serial number \(newSerial); a replacement is a new device."
                )
            }
            try db.execute(sql: "DELETE FROM devices WHERE serial = ? AND released IS NOT NULL", arguments: [newSerial])

            let server = try old.serverID.flatMap { try MDMServerRecord.find(db, id: $0) }
            let audit = try AuditLog(db, at: now, by: .system)
            if let server {
                try EventLog.appendDeleted(
                    serial: oldSerial, server: server.id, at: now, releasedByReplacement: true, db)
                try audit.record(.deviceUnassignedFromServer, serial: oldSerial, server: server.name)
            }
            try audit.record(.deviceRemovedFromOrg, serial: oldSerial)
            try db.execute(
                sql: "UPDATE devices SET \(Self.unassignment), released = ? WHERE serial = ?",
                arguments: [now, oldSerial])

            var new = Self.replacement(
                of: old, serial: newSerial,
                identifiers: ReplacementIdentifiers.derive(replacing: old, serial: newSerial, given: identifiers),
                at: now)
            if let server {
                new.serverID = server.id
                new.assignedBy = try organisation(db).adminID
                new.assignedDate = now
            }
            let placeholders = InventoryDevice.columns.split(separator: ",").map { _ in "?" }.joined(separator: ", ")
            try db.execute(
                sql: "INSERT INTO devices (\(InventoryDevice.columns)) VALUES (\(placeholders))",
                arguments: new.databaseValues)
            try audit.record(.deviceAddedToOrg, serial: newSerial)
            if let server {
                try EventLog.append(.added, for: new, server: server.id, at: now, db)
                try audit.record(.deviceAssignedToServer, serial: newSerial, server: server.name)
            }
            return DeviceReplacement(
                serialNumber: newSerial, originalSerialNumber: oldSerial, replacementDate: Date(unixSeconds: now),
                server: server?.name)
        }
    }

    /// The device that replaces `old`: the same product of the same order, unassigned, with
    /// identifiers of its own. The asset tag and activation lock belonged to the old hardware.
    private static func replacement(
        of old: InventoryDevice, serial: String, identifiers: DeviceIdentifiers, at now: Int64
    ) -> InventoryDevice {
        var device = InventoryDevice(
            serial: serial, model: old.model, description: old.description, color: old.color, os: old.os,
            family: old.family, productType: old.productType, partNumber: old.partNumber, capacity: old.capacity,
            orderNumber: old.orderNumber, purchaseSource: old.purchaseSource, added: now)
        // An empty value given is none.
        device.imei = identifiers.imei?.joined(separator: ",").nonEmpty
        device.meid = identifiers.meid?.joined(separator: ",").nonEmpty
        device.eid = identifiers.eid?.nonEmpty
        device.wifiMAC = identifiers.wifiMAC?.nonEmpty
        device.ethernetMAC = identifiers.ethernetMAC?.nonEmpty
        device.bluetoothMAC = identifiers.bluetoothMAC?.nonEmpty
        device.originalSerial = old.serial
        device.replacementDate = now
        return device
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
