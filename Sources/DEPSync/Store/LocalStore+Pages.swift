public import DEPWire
public import Foundation
import GRDB

/// What one stored page changed.
public struct PageChanges: Sendable, Hashable {
    /// Devices new to the store, or back after a removal.
    public var added = 0
    /// Devices already present whose record changed.
    public var modified = 0
    /// Devices removed (deleted in sync, or absent from a completed full fetch).
    public var removed = 0
    /// Operations older than one already applied, recorded in the history but not applied.
    public var stale = 0

    public static func += (lhs: inout PageChanges, rhs: PageChanges) {
        lhs.added += rhs.added
        lhs.modified += rhs.modified
        lhs.removed += rhs.removed
        lhs.stale += rhs.stale
    }
}

extension LocalStore {
    /// Stores a page of a full fetch and its cursor in one transaction.
    ///
    /// `generation` numbers the fetch; when `complete` (the last page), every device still
    /// present that this fetch did not list is marked removed, and the phase moves to sync.
    /// With `autoAssign`, devices that arrive without a profile are marked for assignment.
    public func commitFetchPage(
        _ devices: [Device], cursor: String, generation: Int, complete: Bool, at now: Date, autoAssign: Bool
    ) async throws -> PageChanges {
        try await write { db in
            var changes = PageChanges()
            let writer = try DeviceWriter(db, now: now, autoAssign: autoAssign)
            for device in devices {
                try writer.apply(device, source: "fetch", generation: generation, changes: &changes)
            }
            if complete {
                changes.removed += try Self.removeUnlisted(db, generation: generation, now: now)
            }
            try db.execute(
                sql: """
                    UPDATE sync_state SET cursor = ?, phase = ?, cursor_saved = ?, fetch_generation = ?,
                        last_full_fetch = CASE WHEN ? THEN ? ELSE last_full_fetch END
                    """,
                arguments: [
                    cursor, complete ? "sync" : "fetch", now.storeValue, generation, complete, now.storeValue,
                ])
            return changes
        }
    }

    /// Stores a page of sync events and its cursor in one transaction. A serial repeated in
    /// the page counts once, at its latest `op_date`; an operation older than the one already
    /// applied to the device is kept in its history only.
    public func commitSyncPage(_ devices: [Device], cursor: String, at now: Date, autoAssign: Bool) async throws
        -> PageChanges
    {
        try await write { db in
            var changes = PageChanges()
            let writer = try DeviceWriter(db, now: now, autoAssign: autoAssign)
            for device in Self.latestPerSerial(devices) {
                try writer.apply(device, source: "sync", generation: nil, changes: &changes)
            }
            try db.execute(
                sql: "UPDATE sync_state SET cursor = ?, phase = 'sync', cursor_saved = ?",
                arguments: [cursor, now.storeValue])
            return changes
        }
    }

    /// The page's devices, one per serial: the latest `op_date` wins, and of equal dates the
    /// later in the page. Order of first appearance is kept.
    static func latestPerSerial(_ devices: [Device]) -> [Device] {
        var index: [String: Int] = [:]
        var latest: [Device] = []
        latest.reserveCapacity(devices.count)
        for device in devices {
            if let position = index[device.serialNumber] {
                let kept = latest[position].opDate ?? .distantPast
                if (device.opDate ?? .distantPast) >= kept { latest[position] = device }
            } else {
                index[device.serialNumber] = latest.count
                latest.append(device)
            }
        }
        return latest
    }

    /// Marks removed every present device that fetch `generation` did not list.
    private static func removeUnlisted(_ db: Database, generation: Int, now: Date) throws -> Int {
        try db.execute(
            sql: """
                INSERT INTO device_events (serial, source, op_type, op_date, profile_status, profile_uuid, recorded)
                SELECT serial, 'reconcile', 'deleted', NULL, profile_status, profile_uuid, ?1
                FROM devices WHERE removed IS NULL AND seen_in_fetch < ?2
                """, arguments: [now.storeValue, generation])
        try db.execute(
            sql: """
                UPDATE devices SET removed = ?1, updated = ?1, auto_assign_pending = 0
                WHERE removed IS NULL AND seen_in_fetch < ?2
                """, arguments: [now.storeValue, generation])
        return db.changesCount
    }
}

/// Writes devices into `devices` and `device_events` with cached statements, inside one
/// transaction.
private struct DeviceWriter {
    let db: Database
    let now: Date
    let autoAssign: Bool
    let lookUp: Statement
    let upsert: Statement
    let markRemoved: Statement
    let record: Statement

    init(_ db: Database, now: Date, autoAssign: Bool) throws {
        self.db = db
        self.now = now
        self.autoAssign = autoAssign
        lookUp = try db.cachedStatement(sql: "SELECT removed, op_date FROM devices WHERE serial = ?")
        let assignments = DeviceColumns.apple.dropFirst().filter { $0 != "op_type" && $0 != "op_date" }
            .map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        upsert = try db.cachedStatement(
            sql: """
                INSERT INTO devices (\(DeviceColumns.apple.joined(separator: ", ")),
                    first_seen, updated, removed, seen_in_fetch, auto_assign_pending)
                VALUES (\(Array(repeating: "?", count: DeviceColumns.apple.count + 5).joined(separator: ", ")))
                ON CONFLICT (serial) DO UPDATE SET \(assignments),
                    op_type = coalesce(excluded.op_type, op_type), op_date = coalesce(excluded.op_date, op_date),
                    updated = excluded.updated, removed = excluded.removed,
                    seen_in_fetch = max(seen_in_fetch, excluded.seen_in_fetch),
                    auto_assign_pending = CASE
                        WHEN excluded.removed IS NOT NULL THEN 0
                        WHEN excluded.profile_status IN ('assigned', 'pushed') THEN 0
                        ELSE auto_assign_pending OR excluded.auto_assign_pending END
                """)
        // A deletion may carry the serial alone: the stored record is kept as it was.
        markRemoved = try db.cachedStatement(
            sql: """
                UPDATE devices SET op_type = 'deleted', op_date = coalesce(?2, op_date),
                    removed = coalesce(removed, ?3), updated = ?3, auto_assign_pending = 0
                WHERE serial = ?1
                """)
        record = try db.cachedStatement(
            sql: """
                INSERT INTO device_events (serial, source, op_type, op_date, profile_status, profile_uuid, recorded)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
    }

    /// Applies one device of a fetch (`generation` set) or sync page.
    func apply(_ device: Device, source: String, generation: Int?, changes: inout PageChanges) throws {
        let stored = try Row.fetchOne(lookUp, arguments: [device.serialNumber])
        let isPresent = stored != nil && (stored![0] as Double?) == nil
        let appliedDate: Double? = stored?[1]
        let opDate = device.opDate?.storeValue
        let isStale = generation == nil && opDate != nil && appliedDate != nil && opDate! < appliedDate!
        let isDeletion = device.opType == .deleted
        let arrives = !isDeletion && !isPresent

        if source == "sync" || arrives || (isDeletion && isPresent) {
            try record.execute(arguments: [
                device.serialNumber, isStale ? "sync-stale" : source,
                device.opType?.rawValue ?? (arrives ? OperationType.added.rawValue : nil), opDate,
                device.profileStatus?.rawValue, device.profileUUID, now.storeValue,
            ])
        }
        if isStale {
            changes.stale += 1
            return
        }
        if isDeletion, stored != nil {
            try markRemoved.execute(arguments: [device.serialNumber, opDate, now.storeValue])
            if isPresent { changes.removed += 1 }
            return
        }
        let wantsProfile =
            device.profileStatus == nil || device.profileStatus == .empty || device.profileStatus == .removed
        var values = DeviceColumns.values(of: device)
        values += [
            now.storeValue, now.storeValue, isDeletion ? now.storeValue : nil, generation ?? 0,
            autoAssign && arrives && wantsProfile,
        ]
        try upsert.execute(arguments: StatementArguments(values))
        if isDeletion {
            return  // a device deleted before this store ever saw it: kept for its history
        } else if arrives {
            changes.added += 1
        } else {
            changes.modified += 1
        }
    }
}
