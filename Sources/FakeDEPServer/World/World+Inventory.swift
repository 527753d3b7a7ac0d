public import DEPWire
public import Foundation
import GRDB

/// A device as the portal lists it.
public struct PortalDevice: Codable, Sendable, Hashable {
    public var serialNumber: String
    public var model: String
    public var description: String
    public var family: String
    public var os: String
    public var color: String?
    public var capacity: String?
    public var productType: String
    public var partNumber: String
    public var orderNumber: String
    public var purchaseSource: String
    /// `assigned`, `unassigned` or `released`.
    public var status: String
    /// The name of the MDM server it is assigned to.
    public var server: String?
    public var profileStatus: ProfileStatus
    public var profileUUID: String?
    public var activationLocked: Bool
    /// Until when a device added with Apple Configurator may still leave the organisation by
    /// itself (peers §6); `nil` for devices bought through Apple or a reseller.
    public var provisionalUntil: Date?

    enum CodingKeys: String, CodingKey {
        case serialNumber = "serial_number", model, description, family, os, color, capacity
        case productType = "product_type", partNumber = "part_number", orderNumber = "order_number"
        case purchaseSource = "purchase_source", status, server, profileStatus = "profile_status"
        case profileUUID = "profile_uuid", activationLocked = "activation_locked"
        case provisionalUntil = "provisional_until"
    }
}

/// Which devices the portal lists: every field optional, combined with AND.
public struct DeviceFilter: Sendable {
    public var server: String?
    public var order: String?
    public var family: String?
    /// `assigned`, `unassigned` or `released`.
    public var status: String?
    /// The first letters and digits of the serial number, in either case; empty matches all.
    public var serialPrefix: String?

    public init(
        server: String? = nil, order: String? = nil, family: String? = nil, status: String? = nil,
        serialPrefix: String? = nil
    ) {
        self.server = server
        self.order = order
        self.family = family
        self.status = status
        self.serialPrefix = serialPrefix
    }
}

/// One page of the portal's device list; `next` continues it.
public struct DevicePage: Codable, Sendable {
    public var devices: [PortalDevice]
    public var next: String?
}

/// An order of the organisation, as the portal lists it.
public struct PortalOrder: Codable, Sendable, Hashable {
    public var number: String
    public var date: Date
    public var purchaseSource: String
    public var deviceCount: Int

    enum CodingKeys: String, CodingKey {
        case number, date, purchaseSource = "purchase_source", deviceCount = "device_count"
    }
}

extension World {
    /// Lists devices in serial order, `limit` at a time, after serial `after` (keyset paging).
    public func listDevices(_ filter: DeviceFilter, limit: Int = 100, after: String? = nil) async throws -> DevicePage {
        guard (1...1000).contains(limit) else { throw PortalError(.invalidRequest, "The page size must be 1 to 1000.") }
        return try await store.read { db in
            var conditions = ["d.serial > ?"]
            var arguments: StatementArguments = [after ?? ""]
            // Every serial starts with the empty prefix.
            if let prefix = filter.serialPrefix, !prefix.isEmpty {
                // A range of the primary key, so a search stays one seek among a million devices.
                let range = try Self.serialRange(prefix: prefix)
                conditions.append("d.serial >= ? AND d.serial < ?")
                _ = arguments.append(contentsOf: [range.lowerBound, range.upperBound])
            }
            if let reference = filter.server {
                conditions.append("d.server_id = ?")
                _ = arguments.append(contentsOf: [try requireServer(reference, db).id])
            }
            if let order = filter.order {
                conditions.append("d.order_number = ?")
                _ = arguments.append(contentsOf: [order])
            }
            if let family = filter.family {
                conditions.append("d.family = ? COLLATE NOCASE")
                _ = arguments.append(contentsOf: [family])
            }
            // Like the family filter, the status ignores case.
            switch filter.status?.lowercased() {
            case nil: break
            // `+` keeps SQLite walking the devices in serial order (keyset paging) rather than
            // reading every assigned device through the server index and sorting them.
            case "assigned": conditions.append("+d.server_id IS NOT NULL")
            case "unassigned": conditions.append("+d.server_id IS NULL AND +d.released IS NULL")
            // As written, it lets SQLite read released devices from their partial index, in order.
            case "released": conditions.append("d.released IS NOT NULL")
            case .some:
                throw PortalError(
                    .invalidRequest, "Unknown status \"\(filter.status ?? "")\"; use assigned, unassigned or released.")
            }
            _ = arguments.append(contentsOf: [limit + 1])
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(InventoryDevice.columns(qualifiedBy: "d")), s.name
                    FROM devices d LEFT JOIN servers s ON s.id = d.server_id
                    WHERE \(conditions.joined(separator: " AND ")) ORDER BY d.serial LIMIT ?
                    """,
                arguments: arguments)
            let devices = rows.prefix(limit).map { row in Self.portalDevice(InventoryDevice(row: row), server: row[32])
            }
            return DevicePage(devices: devices, next: rows.count > limit ? devices.last?.serialNumber : nil)
        }
    }

    /// The serials that start with `prefix` (any case), as a half-open range: stored serials are
    /// upper-case letters and digits, so the bound is the prefix with its last character raised.
    static func serialRange(prefix text: String) throws -> Range<String> {
        let prefix = text.uppercased()
        guard let last = prefix.unicodeScalars.last, prefix.count <= SerialNumber.lengthRange.upperBound,
            prefix.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        else {
            throw PortalError(
                .invalidRequest,
                "\"\(text.escapingControlCharacters)\" does not start a serial number: search with 1 to 20 letters and digits."
            )
        }
        let bound = String(prefix.unicodeScalars.dropLast()) + String(Unicode.Scalar(last.value + 1)!)
        return prefix..<bound
    }

    /// Every order, oldest first, with its device count.
    public func listOrders() async throws -> [PortalOrder] {
        try await store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.number, o.date, o.source, (SELECT COUNT(*) FROM devices d WHERE d.order_number = o.number)
                    FROM orders o ORDER BY o.date, o.number
                    """
            ).map {
                PortalOrder(number: $0[0], date: Date(unixSeconds: $0[1]), purchaseSource: $0[2], deviceCount: $0[3])
            }
        }
    }

    /// The `limit` newest orders (of purchase source `source`, if given), newest first, with their
    /// device counts: what a page offers to choose from when an organisation has thousands.
    public func recentOrders(limit: Int, source: String? = nil) async throws -> [PortalOrder] {
        try await store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.number, o.date, o.source, (SELECT COUNT(*) FROM devices d WHERE d.order_number = o.number)
                    FROM orders o WHERE ?1 IS NULL OR o.source = ?1 ORDER BY o.date DESC, o.number DESC LIMIT ?2
                    """, arguments: [source, limit]
            ).map {
                PortalOrder(number: $0[0], date: Date(unixSeconds: $0[1]), purchaseSource: $0[2], deviceCount: $0[3])
            }
        }
    }

    /// Adds `deviceCount` generated devices in realistic orders, reproducibly from `seed`
    /// (`fakedep seed`). A store without an organisation gets the mock organisation's identity
    /// first (not its inventory), so a seeded world is always usable.
    ///
    /// The seed is one transaction, like every action: one killed half-way leaves nothing, and
    /// trying it again adds each device once. Rows go to SQLite as they are generated (its page
    /// cache spills to the write-ahead log), so a million-device seed never sits in memory.
    public func seed(deviceCount: Int, seed: UInt64) async throws -> (orders: Int, devices: Int) {
        guard deviceCount > 0, deviceCount <= 10_000_000 else {
            throw PortalError(.invalidRequest, "The number of devices must be 1 to 10,000,000.")
        }
        let catalog = try Catalog.bundled()
        let identity = try MockData.organisation()
        let end = clock.now
        let now = self.now
        return try await store.write { db in
            if try Organisation.load(db) == nil { try identity.save(db) }
            var generator = InventoryGenerator(catalog: catalog, seed: seed, deviceCount: deviceCount, endingAt: end)
            var added = (orders: 0, devices: 0)
            let defaults = try Self.defaultServers(db)
            var joined: [(serial: String, server: String)] = []
            // Generated serials are random, so inserting them as they come touches a random leaf
            // of the primary key and of each index per device: with more pages than the cache
            // holds, most inserts read and spill a page (41 s for a million). Instead the
            // devices are staged in a temporary table (appended, in a file) and moved to
            // `devices` in serial order at the end, so the primary key and most indexes are
            // written from left to right, each page once; SQLite sorts them with bounded memory,
            // spilling to temporary files. The staging table is part of the transaction: a failed
            // seed leaves no trace of it either.
            try db.execute(sql: "DROP TABLE IF EXISTS temp.seed_devices")
            try db.execute(sql: "CREATE TEMP TABLE seed_devices (\(Self.stagedColumns))")
            // `devices` does not change until the end, so the taken-check sees exactly the
            // devices that were there before (the generator itself remembers this seed's serials).
            // A store holding few devices (the usual case: a new world) answers from sets in
            // memory, not with a million lookups, and then the generator draws on a thread of its
            // own while this one stages; a large store is asked serial by serial, in turn.
            func take(_ order: GeneratedOrder) throws {
                try Self.stage(order, sequence: added.orders, db)
                added.orders += 1
                added.devices += order.devices.count
                guard !defaults.isEmpty else { return }
                for device in order.devices {
                    if let server = defaults[Self.abmFamily(of: device.family)] {
                        joined.append((device.serial, server))
                    }
                }
            }
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM devices") ?? 0 <= Self.serialsKeptInMemory {
                let serials = Set(try String.fetchAll(db, sql: "SELECT serial FROM devices"))
                let orderNumbers = Set(try String.fetchAll(db, sql: "SELECT number FROM orders"))
                let orders = GeneratedOrderStream(
                    generator, serialsTaken: { serials.contains($0) },
                    orderNumbersTaken: { orderNumbers.contains($0) })
                defer { orders.cancel() }
                while let order = orders.next() { try take(order) }
            } else {
                let serialTaken = try db.cachedStatement(sql: "SELECT 1 FROM devices WHERE serial = ?")
                let orderTaken = try db.cachedStatement(sql: "SELECT 1 FROM orders WHERE number = ?")
                while let order = generator.nextOrder(
                    serialsTaken: { (try? Bool.fetchOne(serialTaken, arguments: [$0])) == true },
                    orderNumbersTaken: { (try? Bool.fetchOne(orderTaken, arguments: [$0])) == true })
                {
                    try take(order)
                }
            }
            let generated = Self.stagedColumns.replacingOccurrences(of: "order_sequence, ", with: "")
            try db.execute(
                sql: """
                    INSERT INTO main.devices (\(generated), added, profile_status, activation_locked)
                    SELECT \(generated), ?, ?, ? FROM temp.seed_devices ORDER BY serial
                    """, arguments: [now, ProfileStatus.empty.rawValue, false])
            // The audit entries as `insert` writes them: order after order, each in serial order.
            try db.execute(
                sql: """
                    INSERT INTO audit_events (time, type, serial, server_name, actor_type, actor_id, actor_name, group_id)
                    SELECT ?, ?, serial, NULL, 'SYSTEM', 'apple', 'Apple', 'order-' || order_number
                    FROM temp.seed_devices ORDER BY order_sequence, serial
                    """, arguments: [now, AuditEventType.deviceAddedToOrg.rawValue])
            try db.execute(sql: "DROP TABLE temp.seed_devices")
            try assignByDefault(joined, at: now, db)
            return added
        }
    }

    /// Up to how many devices a seed reads the store's serials and order numbers into memory for
    /// its taken-checks.
    private static let serialsKeptInMemory = 100_000

    /// The columns of a seed's staging table: what the generator draws, and the order's place in
    /// the seed (for the audit log). The other columns of `devices` are the same for every device.
    private static let stagedColumns = """
        order_sequence, serial, model, description, color, os, family, product_type, part_number, capacity,
        order_number, purchase_source, imei, meid, eid, wifi_mac, ethernet_mac, bluetooth_mac
        """

    /// Inserts an order, and stages its devices for `seed`, which moves them to `devices`.
    private static func stage(_ order: GeneratedOrder, sequence: Int, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO orders (number, date, source) VALUES (?, ?, ?)")
            .execute(arguments: [order.number, order.date.unixSeconds, order.purchaseSource])
        let statement = try db.cachedStatement(
            sql:
                "INSERT INTO temp.seed_devices (\(stagedColumns)) VALUES (\(Array(repeating: "?", count: 18).joined(separator: ", ")))"
        )
        for device in order.devices {
            try statement.execute(arguments: [
                sequence, device.serial, device.model, device.description, device.color, device.os, device.family,
                device.productType, device.partNumber, device.capacity, order.number, order.purchaseSource,
                device.imei?.joined(separator: ","), device.meid?.joined(separator: ","), device.eid, device.wifiMAC,
                device.ethernetMAC, device.bluetoothMAC,
            ])
        }
    }

    /// Sets up the default organisation and its inventory from the bundled mock data, if the
    /// store has no organisation yet. Returns whether it did.
    @discardableResult
    public func seedMockOrganisationIfEmpty() async throws -> Bool {
        guard try await !hasOrganisation() else { return false }
        let organisation = try MockData.organisation()
        let orders = InventoryGenerator.mockOrganisationOrders(catalog: try Catalog.bundled(), endingAt: clock.now)
        let now = self.now
        try await store.write { db in
            guard try Organisation.load(db) == nil else { return }
            try organisation.save(db)
            for order in orders { try Self.insert(order, added: now, db) }
        }
        return true
    }

    /// Inserts an order and its devices, unassigned.
    static func insert(_ order: GeneratedOrder, added: Int64, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO orders (number, date, source) VALUES (?, ?, ?)",
            arguments: [order.number, order.date.unixSeconds, order.purchaseSource])
        let statement = try db.cachedStatement(
            sql:
                "INSERT INTO devices (\(InventoryDevice.columns)) VALUES (\(Array(repeating: "?", count: 32).joined(separator: ", ")))"
        )
        for generated in order.devices {
            var device = InventoryDevice(
                serial: generated.serial, model: generated.model, description: generated.description,
                color: generated.color,
                os: generated.os, family: generated.family, productType: generated.productType,
                partNumber: generated.partNumber,
                capacity: generated.capacity, orderNumber: order.number, purchaseSource: order.purchaseSource,
                added: added)
            device.imei = generated.imei?.joined(separator: ",")
            device.meid = generated.meid?.joined(separator: ",")
            device.eid = generated.eid
            device.wifiMAC = generated.wifiMAC
            device.ethernetMAC = generated.ethernetMAC
            device.bluetoothMAC = generated.bluetoothMAC
            try statement.execute(arguments: device.databaseValues)
        }
        try AuditLog.recordAdded(order: order.number, at: added, db)
    }

    static func portalDevice(_ device: InventoryDevice, server: String?) -> PortalDevice {
        PortalDevice(
            serialNumber: device.serial, model: device.model, description: device.description, family: device.family,
            os: device.os, color: device.color, capacity: device.capacity, productType: device.productType,
            partNumber: device.partNumber, orderNumber: device.orderNumber, purchaseSource: device.purchaseSource,
            status: device.released != nil ? "released" : device.serverID != nil ? "assigned" : "unassigned",
            server: server, profileStatus: device.profileStatus, profileUUID: device.profileUUID,
            activationLocked: device.activationLocked,
            provisionalUntil: device.provisionalUntil.map(Date.init(unixSeconds:)))
    }
}

/// How many devices of one family stand one way, as the portal's overview counts them.
public struct DeviceCount: Codable, Sendable, Hashable {
    public var family: String
    /// `assigned`, `unassigned` or `released`.
    public var status: String
    public var count: Int
}

extension World {
    /// The organisation's devices counted by family and status, families in name order.
    ///
    /// Grouped by family alone so that SQLite walks `devices_by_family` in order: a released device
    /// has no server, so the statuses follow from counting the two columns.
    public func deviceCounts() async throws -> [DeviceCount] {
        try await store.read { db in
            try Row.fetchAll(
                db, sql: "SELECT family, COUNT(*), COUNT(server_id), COUNT(released) FROM devices GROUP BY family"
            ).flatMap { row -> [DeviceCount] in
                let family: String = row[0]
                let (all, assigned, released): (Int, Int, Int) = (row[1], row[2], row[3])
                return [
                    DeviceCount(family: family, status: "assigned", count: assigned),
                    DeviceCount(family: family, status: "unassigned", count: all - assigned - released),
                    DeviceCount(family: family, status: "released", count: released),
                ]
            }
        }
    }
}
