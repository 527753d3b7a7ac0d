public import DEPWire
import Foundation
import GRDB

extension World {
    /// One page of `POST /server/devices` (dep-api §3.2, §4.1): the server's current devices in
    /// assignment order, read with a keyset query so a page costs the same at any depth. A device
    /// in a cooldown is left out (dep-api §3.3), and the cursor moves past it all the same.
    public func fetchDevices(session: String?, cursor text: String?, limit: Int?, version: ProtocolVersion) async throws
        -> FetchDeviceResponse
    {
        let server = try await server(forSession: session)
        let limit = try pageSize(limit)
        let now = self.now
        let cooling = cooldowns.active(at: clock.now)
        let start = try text.map { try openCursor($0, server: server.id) }
        return try await store.read { db in
            var cursor: Cursor
            switch start?.phase {
            case nil:
                cursor = Cursor(
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
                    SELECT \(InventoryDevice.columns) FROM devices
                    WHERE server_id = ? AND (assigned_date, serial) > (?, ?)
                    ORDER BY assigned_date, serial LIMIT ?
                    """)
            let rows = try Row.map(
                statement, arguments: [server.id, after?.assignedDate ?? Int64.min, after?.serial ?? "", limit + 1]
            ) { InventoryDevice(row: $0) }
            let page = rows.prefix(limit)
            let moreToFollow = rows.count > limit
            let last =
                page.last.map { Cursor.DeviceKey(assignedDate: $0.assignedDate ?? 0, serial: $0.serial) } ?? after
            cursor.phase = .fetch(after: last, isComplete: !moreToFollow)
            cursor.issued = now
            return FetchDeviceResponse(
                devices: page.filter { cooling[$0.serial] == nil }.map { version.shaped($0.wireDevice) },
                fetchedUntil: Date(unixSeconds: now),
                moreToFollow: moreToFollow, cursor: cursor.sealed(with: cursorKey))
        }
    }

    /// One page of `POST /devices/sync` (dep-api §3.3, §4.1): the server's events after the
    /// cursor, oldest first, each with the device as it was at that event. The events of a device
    /// in a cooldown are left out, with no `deleted` in their place (dep-api §3.3).
    public func syncDevices(session: String?, cursor text: String?, limit: Int?, version: ProtocolVersion) async throws
        -> FetchDeviceResponse
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
                    e.profile_assign_time, e.profile_push_time, e.released_by_replacement, \(InventoryDevice.columns(qualifiedBy: "d"))
                    FROM events e JOIN devices d ON d.serial = e.serial
                    WHERE e.server_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?
                    """)
            let rows = try Row.map(statement, arguments: [server.id, cursor.syncPosition, limit + 1]) { row in
                (sequence: row[0] as Int64, opDate: row[2] as Int64, device: Self.syncEntry(row))
            }
            let page = rows.prefix(limit)
            let devices = page.filter { cooling[$0.device.serialNumber] == nil }.map { version.shaped($0.device) }
            let lastSequence = page.last?.sequence ?? cursor.syncPosition
            cursor.phase = .sync(after: lastSequence)
            cursor.issued = now
            let fetchedUntil = Date(unixSeconds: page.last?.opDate ?? now)
            return FetchDeviceResponse(
                devices: devices, fetchedUntil: fetchedUntil, moreToFollow: rows.count > limit,
                cursor: cursor.sealed(with: cursorKey))
        }
    }

    /// A sync entry: the device's fixed fields with the assignment and profile of the event;
    /// a `deleted` entry carries only serial, type, date and the replacement flag (dep-api §3.3).
    private static func syncEntry(_ row: Row) -> Device {
        let type = OperationType(rawValue: row[1]) ?? .modified
        let opDate = Date(unixSeconds: row[2])
        let inventory = InventoryDevice(row: row, offset: 10)
        guard type != .deleted else {
            let replaced: Bool? = row[9]
            return Device(
                serialNumber: inventory.serial, opType: .deleted, opDate: opDate, releasedByReplacement: replaced)
        }
        var device = inventory.wireDevice
        device.deviceAssignedBy = row[3]
        device.deviceAssignedDate = (row[4] as Int64?).map(Date.init(unixSeconds:))
        device.profileUUID = row[5]
        device.profileStatus = (row[6] as String?).flatMap(ProfileStatus.init(rawValue:))
        device.profileAssignTime = (row[7] as Int64?).map(Date.init(unixSeconds:))
        device.profilePushTime = (row[8] as Int64?).map(Date.init(unixSeconds:))
        device.opType = type
        device.opDate = opDate
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
    func openCursor(_ text: String, server: Int64) throws -> Cursor {
        guard let cursor = Cursor(sealed: text, key: cursorKey) else {
            Refusal.explain(
                "the cursor was not sealed by this world: altered, of another world, or from before a reset")
            throw DEPError(.invalidCursor)
        }
        guard cursor.server == server else {
            Refusal.explain("the cursor belongs to another MDM server of this world")
            throw DEPError(.invalidCursor)
        }
        guard now - cursor.issued <= Cursor.lifetime else {
            Refusal.explain(
                "the cursor is \(now - cursor.issued) s old; cursors expire after \(Cursor.lifetime) s (7 days)")
            throw DEPError(.expiredCursor)
        }
        return cursor
    }
}
