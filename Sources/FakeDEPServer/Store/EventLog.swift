import DEPWire
import GRDB

/// The per-server, append-only log that `/devices/sync` replays (dep-api §3.3, §9).
enum EventLog {
    /// Appends an `added` or `modified` event carrying `device`'s current assignment and profile.
    static func append(
        _ type: OperationType, for device: InventoryDevice, server: Int64, at date: Int64, _ db: Database
    ) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO events (server_id, serial, op_type, op_date, assigned_by, assigned_date, profile_uuid,
                profile_status, profile_assign_time, profile_push_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            server, device.serial, type.rawValue, date, device.assignedBy, device.assignedDate, device.profileUUID,
            device.profileStatus.rawValue, device.profileAssignTime, device.profilePushTime,
        ])
    }

    /// Appends a `deleted` event: the device left `server`.
    static func appendDeleted(
        serial: String, server: Int64, at date: Int64, releasedByReplacement: Bool = false, _ db: Database
    ) throws {
        let statement = try db.cachedStatement(
            sql:
                "INSERT INTO events (server_id, serial, op_type, op_date, released_by_replacement) VALUES (?, ?, 'deleted', ?, ?)"
        )
        try statement.execute(arguments: [server, serial, date, releasedByReplacement ? 1 : nil])
    }

    /// The newest event number of `server` (0 when it has none).
    static func lastSequence(server: Int64, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events WHERE server_id = ?", arguments: [server]) ?? 0
    }
}
