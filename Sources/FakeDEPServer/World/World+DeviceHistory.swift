public import Foundation
import GRDB

/// One thing that happened to a device, as its page lists it.
public struct DeviceHistoryEntry: Codable, Sendable, Hashable {
    /// Where the world recorded it: `audit` (the organisation's audit log, peers §5.3) or `sync`
    /// (the event log an MDM server's `/devices/sync` replays, dep-api §9).
    public var log: String
    public var date: Date
    /// `DEVICE_ASSIGNED_TO_SERVER`, … for the audit log; `added`, `modified`, `deleted` for sync.
    public var event: String
    public var server: String?
    /// Who made the change (audit) or what the server saw of the device (sync).
    public var detail: String?
}

extension World {
    /// The most entries a device's history holds.
    public static let deviceHistoryLimit = 200

    /// What happened to device `serial`, newest first, at most `limit` entries: its audit
    /// events and the sync events of every server it was on. 404 for a serial the organisation
    /// never had.
    ///
    /// Neither log is indexed by serial (their writers are the bulk actions), so this reads each
    /// log once; it is for one device's page, not for a loop.
    public func deviceHistory(serial text: String, limit: Int = deviceHistoryLimit) async throws
        -> [DeviceHistoryEntry]
    {
        let serial = try Self.deviceSerial(text)
        return try await store.read { db in
            _ = try Self.organisationDevice(serial, db)
            let audit = try Row.fetchAll(
                db,
                sql: """
                    SELECT time, type, server_name, actor_type, actor_name FROM audit_events
                    WHERE serial = ? ORDER BY seq DESC LIMIT ?
                    """,
                arguments: [serial, limit]
            ).map { row in
                DeviceHistoryEntry(
                    log: "audit", date: Date(unixSeconds: row[0]), event: row[1], server: row[2],
                    detail: "by \(row[4] as String) (\(row[3] as String))")
            }
            let sync = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.op_date, e.op_type, s.name, e.assigned_by, e.profile_uuid, e.profile_status,
                        e.released_by_replacement
                    FROM events e LEFT JOIN servers s ON s.id = e.server_id
                    WHERE e.serial = ? ORDER BY e.seq DESC LIMIT ?
                    """,
                arguments: [serial, limit]
            ).map { row in
                DeviceHistoryEntry(
                    log: "sync", date: Date(unixSeconds: row[0]), event: row[1], server: row[2],
                    detail: Self.syncDetail(assignedBy: row[3], profile: row[4], status: row[5], replaced: row[6]))
            }
            // Both lists are newest first; a stable sort keeps each log's own order on equal times.
            return Array(
                (audit + sync).enumerated().sorted { ($1.element.date, $0.offset) < ($0.element.date, $1.offset) }
                    .map(\.element).prefix(limit))
        }
    }

    /// What a sync event carried, in a few words.
    private static func syncDetail(assignedBy: String?, profile: String?, status: String?, replaced: Int64?) -> String?
    {
        var parts: [String] = []
        if let assignedBy { parts.append("assigned by \(assignedBy)") }
        if let status, status != "empty" { parts.append("profile \(status)") }
        if let profile { parts.append(profile) }
        if replaced == 1 { parts.append("released by a replacement") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}
