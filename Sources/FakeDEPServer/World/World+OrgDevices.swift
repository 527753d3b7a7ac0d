public import DEPWire
import Foundation
import GRDB

extension World {
    /// The organisation's devices as `orgDevices` (peers §5.4), in serial order, a page at a
    /// time; released devices are left out of the list, as Apple does.
    public func orgDevices(_ paging: ABMPaging) async throws -> ABMPage<OrgDevice> {
        try await store.read { db in
            let orgID = try Organisation.load(db)?.orgID
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.orgDeviceColumns) WHERE d.serial > ? AND d.released IS NULL
                    ORDER BY d.serial LIMIT ?
                    """,
                arguments: [paging.after ?? "", paging.limit + 1])
            let devices = rows.prefix(paging.limit).map { Self.orgDevice($0, orgID: orgID) }
            return ABMPage(
                items: devices,
                nextCursor: rows.count > paging.limit
                    ? devices.last.map { ABMPaging.cursor(after: $0.id, list: OrgDevice.resourceType) } : nil)
        }
    }

    /// One device by serial, released ones included (with `releasedFromOrgDateTime`); 404
    /// `NOT_FOUND` for a serial the organisation never had.
    public func orgDevice(_ serial: String) async throws -> OrgDevice {
        try await store.read { db in
            guard let row = try Self.orgDeviceRow(serial, db) else { throw ABMError.notFound("orgDevices", serial) }
            return Self.orgDevice(row, orgID: try Organisation.load(db)?.orgID)
        }
    }

    /// The server a device is assigned to (`nil` for none); 404 for an unknown serial.
    public func assignedServer(of serial: String) async throws -> MdmServer? {
        try await store.read { db in
            guard let row = try Self.orgDeviceRow(serial, db) else { throw ABMError.notFound("orgDevices", serial) }
            let device = InventoryDevice(row: row)
            return try device.serverID.flatMap { try MDMServerRecord.find(db, id: $0) }.map { try mdmServer($0, db) }
        }
    }

    /// A device's AppleCare coverage, derived from the device alone so that it is the same on
    /// every run: every device has Apple's one-year limited warranty from its order date; one
    /// device in four (by a stable hash of its serial) also has AppleCare+ paid up front, three
    /// years for a Mac and two for anything else. A coverage is `ACTIVE` until its end.
    public func appleCareCoverage(of serial: String) async throws -> [AppleCareCoverage] {
        let now = Date(unixSeconds: self.now)
        return try await store.read { db in
            guard let row = try Self.orgDeviceRow(serial, db) else { throw ABMError.notFound("orgDevices", serial) }
            let device = InventoryDevice(row: row)
            let ordered = Date(unixSeconds: row[Self.orderDateColumn] ?? device.added)
            func coverage(id: String, agreement: String?, years: Int, description: String, payment: String)
                -> AppleCareCoverage
            {
                let end = Calendar.utc.date(byAdding: .year, value: years, to: ordered) ?? ordered
                return AppleCareCoverage(
                    id: id,
                    attributes: .init(
                        agreementNumber: agreement, startDateTime: ABMDateTime(ordered), endDateTime: ABMDateTime(end),
                        description: description, status: now < end ? "ACTIVE" : "INACTIVE", paymentType: payment,
                        isRenewable: false, isCanceled: false))
            }
            var coverages = [
                coverage(id: serial, agreement: nil, years: 1, description: "Limited Warranty", payment: "NONE")
            ]
            let hash = Self.stableHash(serial)
            if hash % 4 == 0 {
                let agreement = String(format: "%010llu", hash % 10_000_000_000)
                coverages.append(
                    coverage(
                        id: agreement, agreement: agreement, years: device.family == "Mac" ? 3 : 2,
                        description: "AppleCare+", payment: "PAID_UP_FRONT"))
            }
            return coverages
        }
    }

    /// FNV-1a of `text`: the same on every run and platform, unlike `Hasher`.
    static func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    /// A device's columns, then when it last changed and its order's date, from `devices d`.
    static let orgDeviceColumns = """
        \(InventoryDevice.columns(qualifiedBy: "d")), COALESCE(d.updated, d.added), o.date
        FROM devices d LEFT JOIN orders o ON o.number = d.order_number
        """
    static let updatedColumn = 32
    static let orderDateColumn = 33

    static func orgDeviceRow(_ serial: String, _ db: Database) throws -> Row? {
        try Row.fetchOne(db, sql: "SELECT \(orgDeviceColumns) WHERE d.serial = ?", arguments: [serial])
    }

    /// The ABM view of a `devices` row selected with `orgDeviceColumns`.
    static func orgDevice(_ row: Row, orgID: String?) -> OrgDevice {
        let device = InventoryDevice(row: row)
        var attributes = OrgDevice.Attributes()
        attributes.serialNumber = device.serial
        attributes.addedToOrgDateTime = ABMDateTime(Date(unixSeconds: device.added))
        attributes.releasedFromOrgDateTime = .some(device.released.map { ABMDateTime(Date(unixSeconds: $0)) })
        attributes.updatedDateTime = ABMDateTime(Date(unixSeconds: row[updatedColumn]))
        attributes.deviceModel = device.model
        attributes.productFamily = device.family
        attributes.productType = device.productType
        attributes.deviceCapacity = device.capacity
        attributes.partNumber = device.partNumber
        attributes.orderNumber = device.orderNumber
        attributes.orderDateTime = (row[orderDateColumn] as Int64?).map { ABMDateTime(Date(unixSeconds: $0)) }
        attributes.color = device.color
        attributes.status = device.serverID != nil ? "ASSIGNED" : "UNASSIGNED"
        attributes.imei = device.imei.map(InventoryDevice.split) ?? []
        attributes.meid = device.meid.map(InventoryDevice.split) ?? []
        attributes.eid = device.eid
        attributes.wifiMacAddress = device.wifiMAC
        attributes.bluetoothMacAddress = device.bluetoothMAC
        attributes.ethernetMacAddress = device.ethernetMAC.map(InventoryDevice.split) ?? []
        // Stored as `APPLE`, `RESELLER-<number>` or `MANUALLY_ADDED`; Apple's customer number
        // is the organisation's.
        if device.purchaseSource.hasPrefix("RESELLER-") {
            attributes.purchaseSourceType = "RESELLER"
            attributes.purchaseSourceId = String(device.purchaseSource.dropFirst("RESELLER-".count))
        } else {
            attributes.purchaseSourceType = device.purchaseSource
            attributes.purchaseSourceId = device.purchaseSource == "APPLE" ? orgID : nil
        }
        attributes.mdmMigrationDeadlineDateTime = device.migrationDeadline.map { ABMDateTime(Date(unixSeconds: $0)) }
        return OrgDevice(id: device.serial, attributes: attributes)
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC, for whole-year coverage terms.
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
