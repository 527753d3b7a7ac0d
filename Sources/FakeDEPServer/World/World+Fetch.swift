public import DEPWire
import Foundation
import GRDB

extension World {
    /// One page of `POST /server/devices` (dep-api §3.2, §4.1), as its JSON body: the server's
    /// current devices in assignment order, read with a keyset query so a page costs the same at
    /// any depth. A device in a cooldown is left out (dep-api §3.3), and the cursor moves past it
    /// all the same. Each row is written from SQLite's columns straight into the body.
    public func fetchDevices(session: String?, cursor text: String?, limit: Int?, version: ProtocolVersion) async throws
        -> [UInt8]
    {
        let server = try await server(forSession: session)
        let limit = try pageSize(limit)
        let now = self.now
        let cooling = cooldowns.active(at: clock.now)
        let start = try text.map { try openCursor($0, server: server.id) }
        return try await store.read { db in
            var cursor: DeviceCursor
            switch start?.phase {
            case nil:
                cursor = DeviceCursor(
                    server: server.id, phase: .fetch(after: nil, isComplete: false),
                    snapshotSequence: try EventLog.lastSequence(server: server.id, db), issued: now)
            case .fetch(_, let isComplete):
                guard !isComplete else { throw DEPError(.exhaustedCursor) }
                cursor = start!
            case .sync:
                // A client that keeps one cursor calls fetch with its sync cursor (nanodep does);
                // the fetch is long over, which is what `EXHAUSTED_CURSOR` tells it.
                throw DEPError(.exhaustedCursor)
            }
            guard case .fetch(let after, _) = cursor.phase else { throw DEPError(.invalidCursor) }
            let statement = try db.cachedStatement(
                sql: """
                    SELECT serial, description, model, os, family, color, asset_tag, profile_uuid, profile_assign_time,
                    profile_push_time, profile_status, assigned_by, assigned_date, migration_deadline, eid, ethernet_mac,
                    wifi_mac, bluetooth_mac, imei, meid, original_serial IS NOT NULL
                    FROM devices WHERE server_id = ? AND (assigned_date, serial) > (?, ?)
                    ORDER BY assigned_date, serial LIMIT ?
                    """)
            let rows = try Row.fetchCursor(
                statement, arguments: [server.id, after?.assignedDate ?? Int64.min, after?.serial ?? "", limit + 1])
            let columns = LiveColumns(statement)
            var page = DevicePageWriter(version: version, expectedDevices: limit)
            var count = 0
            var last = LastKey()
            while try rows.next() != nil {
                count += 1
                guard count <= limit else { continue }
                let serial = columns.text(0)!
                last.remember(serial, assignedDate: columns.integer(12) ?? 0)
                if !cooling.isEmpty, cooling[String(decoding: serial, as: UTF8.self)] != nil { continue }
                page.append(Self.fetchEntry(serial, columns))
            }
            let moreToFollow = count > limit
            cursor.phase = .fetch(after: last.key ?? after, isComplete: !moreToFollow)
            cursor.issued = now
            return page.finish(fetchedUntil: now, moreToFollow: moreToFollow, cursor: cursor.sealed(with: cursorKey))
        }
    }

    /// A fetch entry: the device's record as it stands (every field of dep-api §3.10).
    private static func fetchEntry(_ serial: DeviceColumns.Text, _ columns: LiveColumns) -> DeviceColumns {
        var device = DeviceColumns(serialNumber: serial)
        device.description = columns.text(1)
        device.model = columns.text(2)
        device.os = columns.text(3)
        device.deviceFamily = columns.text(4)
        device.color = columns.text(5)
        device.assetTag = columns.text(6)
        device.profileUUID = columns.text(7)
        device.profileAssignTime = columns.integer(8)
        device.profilePushTime = columns.integer(9)
        device.profileStatus = ProfileStatus(stored: columns.text(10)) ?? .empty
        device.deviceAssignedBy = columns.text(11)
        device.deviceAssignedDate = columns.integer(12)
        device.mdmMigrationDeadline = columns.integer(13)
        device.eid = columns.text(14)
        device.ethernetMACAddress = columns.text(15)
        device.wifiMACAddress = columns.text(16)
        device.bluetoothMACAddress = columns.text(17)
        device.imei = columns.text(18)
        device.meid = columns.text(19)
        device.isReplacementDevice = columns.flag(20) == true ? true : nil
        return device
    }

    /// One page of `POST /devices/sync` (dep-api §3.3, §4.1), as its JSON body: the server's
    /// events after the cursor, oldest first, each with the device as it was at that event. The
    /// events of a device in a cooldown are left out, with no `deleted` in their place (dep-api
    /// §3.3).
    public func syncDevices(session: String?, cursor text: String?, limit: Int?, version: ProtocolVersion) async throws
        -> [UInt8]
    {
        let server = try await server(forSession: session)
        guard let text, !text.isEmpty else { throw DEPError(.cursorRequired) }
        let limit = try pageSize(limit)
        let start = try openCursor(text, server: server.id)
        let now = self.now
        let cooling = cooldowns.active(at: clock.now)
        return try await store.read { db in
            var cursor = start
            let statement = try db.cachedStatement(
                sql: """
                    SELECT e.seq, e.op_type, e.op_date, e.assigned_by, e.assigned_date, e.profile_uuid, e.profile_status,
                    e.profile_assign_time, e.profile_push_time, e.released_by_replacement, d.serial, d.description,
                    d.model, d.os, d.family, d.color, d.asset_tag, d.migration_deadline, d.eid, d.ethernet_mac,
                    d.wifi_mac, d.bluetooth_mac, d.imei, d.meid, d.original_serial IS NOT NULL
                    FROM events e JOIN devices d ON d.serial = e.serial
                    WHERE e.server_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?
                    """)
            let rows = try Row.fetchCursor(statement, arguments: [server.id, cursor.syncPosition, limit + 1])
            let columns = LiveColumns(statement)
            var page = DevicePageWriter(version: version, expectedDevices: limit)
            var count = 0
            var last: (sequence: Int64, opDate: Int64)?
            while try rows.next() != nil {
                count += 1
                guard count <= limit else { continue }
                last = (columns.integer(0)!, columns.integer(2)!)
                let serial = columns.text(10)!
                if !cooling.isEmpty, cooling[String(decoding: serial, as: UTF8.self)] != nil { continue }
                page.append(Self.syncEntry(serial, columns))
            }
            cursor.phase = .sync(after: last?.sequence ?? cursor.syncPosition)
            cursor.issued = now
            return page.finish(
                fetchedUntil: last?.opDate ?? now, moreToFollow: count > limit, cursor: cursor.sealed(with: cursorKey))
        }
    }

    /// A sync entry: the device's fixed fields with the assignment and profile of the event;
    /// a `deleted` entry carries only serial, type, date and the replacement flag (dep-api §3.3).
    private static func syncEntry(_ serial: DeviceColumns.Text, _ columns: LiveColumns) -> DeviceColumns {
        var device = DeviceColumns(serialNumber: serial)
        let type = OperationType(stored: columns.text(1)) ?? .modified
        device.opType = type
        device.opDate = columns.integer(2)
        guard type != .deleted else {
            device.releasedByReplacement = columns.flag(9)
            return device
        }
        device.deviceAssignedBy = columns.text(3)
        device.deviceAssignedDate = columns.integer(4)
        device.profileUUID = columns.text(5)
        device.profileStatus = ProfileStatus(stored: columns.text(6))
        device.profileAssignTime = columns.integer(7)
        device.profilePushTime = columns.integer(8)
        device.description = columns.text(11)
        device.model = columns.text(12)
        device.os = columns.text(13)
        device.deviceFamily = columns.text(14)
        device.color = columns.text(15)
        device.assetTag = columns.text(16)
        device.mdmMigrationDeadline = columns.integer(17)
        device.eid = columns.text(18)
        device.ethernetMACAddress = columns.text(19)
        device.wifiMACAddress = columns.text(20)
        device.bluetoothMACAddress = columns.text(21)
        device.imei = columns.text(22)
        device.meid = columns.text(23)
        device.isReplacementDevice = columns.flag(24) == true ? true : nil
        return device
    }

    /// The page size for a request: the default when absent, refused when not positive, and
    /// capped at the maximum (dep-api §11.2: Apple's over-maximum behaviour is unknown; we clamp).
    func pageSize(_ requested: Int?) throws -> Int {
        guard let requested else { return settings.defaultLimit }
        guard requested > 0 else { throw DEPError(.malformedRequestBody) }
        return min(requested, settings.maximumLimit)
    }

    /// A client's cursor: `INVALID_CURSOR` unless we sealed it for this server,
    /// `EXPIRED_CURSOR` once older than seven days (dep-api §4.1).
    func openCursor(_ text: String, server: Int64) throws -> DeviceCursor {
        guard let cursor = DeviceCursor(sealed: text, key: cursorKey) else {
            Refusal.explain(
                "the cursor was not sealed by this world: altered, of another world, or from before a reset")
            throw DEPError(.invalidCursor)
        }
        guard cursor.server == server else {
            Refusal.explain("the cursor belongs to another MDM server of this world")
            throw DEPError(.invalidCursor)
        }
        guard now - cursor.issued <= DeviceCursor.lifetime else {
            Refusal.explain(
                "the cursor is \(now - cursor.issued) s old; cursors expire after \(DeviceCursor.lifetime) s (7 days)")
            throw DEPError(.expiredCursor)
        }
        return cursor
    }
}

/// The fetch order key of the last device read, its serial kept in one reused buffer.
private struct LastKey {
    private var serial: [UInt8] = []
    private var assignedDate: Int64?

    mutating func remember(_ serial: UnsafeBufferPointer<UInt8>, assignedDate: Int64) {
        self.serial.removeAll(keepingCapacity: true)
        self.serial.append(contentsOf: serial)
        self.assignedDate = assignedDate
    }

    var key: DeviceCursor.DeviceKey? {
        assignedDate.map { DeviceCursor.DeviceKey(assignedDate: $0, serial: String(decoding: serial, as: UTF8.self)) }
    }
}

extension ProfileStatus {
    /// A stored status; `nil` for NULL or a value that is not one. Compared as bytes: it is
    /// read for every entry of every page.
    init?(stored text: UnsafeBufferPointer<UInt8>?) {
        guard let text, let match = Self.storedForms.first(where: { text.holds($0.text) }) else { return nil }
        self = match.status
    }

    private static let storedForms: [(text: StaticString, status: Self)] = [
        ("empty", .empty), ("assigned", .assigned), ("pushed", .pushed), ("removed", .removed),
    ]
}

extension OperationType {
    /// A stored event type; `nil` for NULL or a value that is not one. Compared as bytes.
    init?(stored text: UnsafeBufferPointer<UInt8>?) {
        guard let text, let match = Self.storedForms.first(where: { text.holds($0.text) }) else { return nil }
        self = match.type
    }

    private static let storedForms: [(text: StaticString, type: Self)] = [
        ("added", .added), ("modified", .modified), ("deleted", .deleted),
    ]
}
