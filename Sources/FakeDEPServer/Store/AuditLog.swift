import Foundation
import GRDB

/// The audit event types of devices (Apple's `AuditEventType`, peers §5.3).
enum AuditEventType: String, CaseIterable, Sendable {
    case deviceAddedToOrg = "DEVICE_ADDED_TO_ORG"
    case deviceRemovedFromOrg = "DEVICE_REMOVED_FROM_ORG"
    case deviceAssignedToServer = "DEVICE_ASSIGNED_TO_SERVER"
    case deviceUnassignedFromServer = "DEVICE_UNASSIGNED_FROM_SERVER"
}

/// Who made a change, for the audit log: Apple's actor types are `USER`, `API_USER`, `SYSTEM`.
enum AuditActor: Sendable, Hashable {
    /// The organisation's administrator, in the portal (or a `fakedep` command).
    case administrator
    /// An API account of the ABM API: its client id and its name in the portal.
    case apiAccount(clientID: String, name: String)
    /// An MDM server, through the DEP API (disown).
    case mdmServer(String)
    /// Apple itself: devices of an order joining the organisation.
    case system
}

/// Appends to the organisation's audit log (`GET /v1/auditEvents`) and marks the devices
/// changed (`updatedDateTime`), in the transaction that makes the change: every assignment
/// change, whatever surface made it, goes through one of these calls.
struct AuditLog {
    let db: Database
    let now: Int64
    /// The events of one change share it (Apple's `groupId`).
    let group: String
    private let actorType: String
    private let actorID: String
    private let actorName: String

    init(_ db: Database, at now: Int64, by actor: AuditActor) throws {
        self.db = db
        self.now = now
        group = UUID().uuidString.lowercased()
        switch actor {
        case .administrator:
            let admin = try Organisation.load(db)?.adminID ?? "administrator"
            (actorType, actorID, actorName) = ("USER", admin, admin)
        case .apiAccount(let clientID, let name): (actorType, actorID, actorName) = ("API_USER", clientID, name)
        case .mdmServer(let name): (actorType, actorID, actorName) = ("SYSTEM", "mdm-server", name)
        case .system: (actorType, actorID, actorName) = ("SYSTEM", "apple", "Apple")
        }
    }

    /// Records `type` for one device (`server`: the server's name, for the server events).
    func record(_ type: AuditEventType, serial: String, server: String? = nil) throws {
        try db.execute(
            sql: """
                INSERT INTO audit_events (time, type, serial, server_name, actor_type, actor_id, actor_name, group_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [now, type.rawValue, serial, server, actorType, actorID, actorName, group])
        try db.execute(sql: "UPDATE devices SET updated = ? WHERE serial = ?", arguments: [now, serial])
    }

    /// Records `type` for each serial `selection` selects (an SQL `SELECT serial, server_name …`
    /// in order), and marks those devices changed.
    func record(_ type: AuditEventType, selecting selection: String, _ arguments: StatementArguments = [])
        throws
    {
        try db.execute(
            sql: """
                INSERT INTO audit_events (time, type, serial, server_name, actor_type, actor_id, actor_name, group_id)
                SELECT ?, ?, serial, server_name, ?, ?, ?, ? FROM (\(selection))
                """,
            arguments: [now, type.rawValue, actorType, actorID, actorName, group] + arguments)
        try db.execute(
            sql: "UPDATE devices SET updated = ? WHERE serial IN (SELECT serial FROM (\(selection)))",
            arguments: [now] + arguments)
    }

    /// Records `type` for the batch lines `condition` holds for, naming the server each line's
    /// device was on (`batch.server_name`), or `server` when given.
    func record(_ type: AuditEventType, batchWhere condition: String, server: String? = nil) throws {
        try record(
            type,
            selecting:
                "SELECT serial, COALESCE(?, server_name) AS server_name FROM batch WHERE \(condition) ORDER BY line",
            [server])
    }

    /// Devices of a new order join the organisation: Apple adds them, one group per order.
    static func recordAdded(order: String, at now: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO audit_events (time, type, serial, server_name, actor_type, actor_id, actor_name, group_id)
                SELECT ?, ?, serial, NULL, 'SYSTEM', 'apple', 'Apple', ? FROM devices WHERE order_number = ?
                ORDER BY serial
                """,
            arguments: [now, AuditEventType.deviceAddedToOrg.rawValue, "order-" + order, order])
    }
}
