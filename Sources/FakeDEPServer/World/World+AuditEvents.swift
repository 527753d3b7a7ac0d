public import DEPWire
public import Foundation
import GRDB

extension World {
    /// The audit events from `start` to `end` (inclusive), oldest first, a page at a time.
    /// Every device event is of Apple's category `DEVICE_INVENTORY` (the one its example shows)
    /// and subject type `DEVICE`, named by serial and model.
    public func auditEvents(from start: Date, to end: Date, _ paging: ABMPaging) async throws -> ABMPage<AuditEvent> {
        try await store.read { db in
            let after = Int64(paging.after ?? "0") ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.seq, a.time, a.type, a.serial, a.actor_type, a.actor_id, a.actor_name, a.group_id, d.model
                    FROM audit_events a LEFT JOIN devices d ON d.serial = a.serial
                    WHERE a.time >= ? AND a.time <= ? AND a.seq > ? ORDER BY a.seq LIMIT ?
                    """,
                arguments: [start.unixSeconds, end.unixSeconds, after, paging.limit + 1])
            let events = rows.prefix(paging.limit).map { row in
                AuditEvent(
                    id: String(row[0] as Int64),
                    attributes: .init(
                        eventDateTime: ABMDateTime(Date(unixSeconds: row[1])), type: row[2],
                        category: "DEVICE_INVENTORY",
                        actorType: row[4], actorId: row[5], actorName: row[6], subjectType: "DEVICE", subjectId: row[3],
                        subjectName: row[8], outcome: "SUCCESS", groupId: row[7]))
            }
            return ABMPage(
                items: Array(events),
                nextCursor: rows.count > paging.limit
                    ? events.last.map { ABMPaging.cursor(after: $0.id, list: AuditEvent.resourceType) } : nil)
        }
    }
}
