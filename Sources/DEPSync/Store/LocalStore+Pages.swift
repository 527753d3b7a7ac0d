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
    /// Of `modified`, the devices that told the store nothing new: a sync event equal to the
    /// stored record, or a device this full fetch had already listed.
    public var repeated = 0

    /// Whether the page added, changed or removed something, or advanced a full fetch.
    public var bringsNews: Bool { added + modified - repeated + removed > 0 }

    public static func += (lhs: inout PageChanges, rhs: PageChanges) {
        lhs.added += rhs.added
        lhs.modified += rhs.modified
        lhs.removed += rhs.removed
        lhs.stale += rhs.stale
        lhs.repeated += rhs.repeated
    }
}

extension LocalStore {
    /// Stores a page of a full fetch and its cursor in one transaction, with the events it
    /// makes when a target is set (`announcing` the page as the service sent it).
    ///
    /// `generation` numbers the fetch; when `complete` (the last page), every device still
    /// present that this fetch did not list is marked removed, and the phase moves to sync.
    /// With `autoAssign`, devices that arrive without a profile are marked for assignment.
    public func commitFetchPage(
        _ devices: [Device], cursor: String, generation: Int, complete: Bool, at now: Date, autoAssign: Bool,
        announcing announcement: PageAnnouncement? = nil
    ) async throws -> PageChanges {
        try await write { db in
            let listened = try Outbox.isListenedTo(db)
            var (changes, changed) = try PageWriter.apply(
                Self.latestPerSerial(devices), to: db, source: .fetch(generation: generation), now: now,
                autoAssign: autoAssign, capturing: listened)
            var unlisted: [WrittenChange] = []
            if complete {
                if listened { unlisted = try PageWriter.unlistedChanges(db, generation: generation, now: now) }
                changes.removed += try Self.removeUnlisted(db, generation: generation, now: now)
            }
            try db.execute(
                sql: """
                    UPDATE sync_state SET cursor = ?, phase = ?, cursor_saved = ?, fetch_generation = ?,
                        last_full_fetch = CASE WHEN ? THEN ? ELSE last_full_fetch END
                    """,
                arguments: [
                    cursor.storable, complete ? "sync" : "fetch", now.storeValue, generation, complete, now.storeValue,
                ])
            try Self.retireUsers(db)
            if listened {
                try PageEvents.append(
                    db, announcement, topic: .fetchDevices, changes: [("fetch", changed), ("reconcile", unlisted)],
                    at: now)
            }
            return changes
        }
    }

    /// Stores a page of sync events and its cursor in one transaction, with the events it makes
    /// when a target is set. A serial repeated in the page counts once, at its latest `op_date`;
    /// an operation older than the one already applied to the device is kept in its history only.
    public func commitSyncPage(
        _ devices: [Device], cursor: String, at now: Date, autoAssign: Bool,
        announcing announcement: PageAnnouncement? = nil
    ) async throws -> PageChanges {
        try await write { db in
            let listened = try Outbox.isListenedTo(db)
            let (changes, changed) = try PageWriter.apply(
                Self.latestPerSerial(devices), to: db, source: .sync, now: now, autoAssign: autoAssign,
                capturing: listened)
            try db.execute(
                sql: "UPDATE sync_state SET cursor = ?, phase = 'sync', cursor_saved = ?",
                arguments: [cursor.storable, now.storeValue])
            try Self.retireUsers(db)
            if listened {
                try PageEvents.append(db, announcement, topic: .syncDevices, changes: [("sync", changed)], at: now)
            }
            return changes
        }
    }

    /// The page's devices, one per serial: the latest `op_date` wins, and of equal dates the
    /// later in the page. Order of first appearance is kept.
    static func latestPerSerial(_ devices: [Device]) -> [Device] {
        // Pages rarely repeat a serial: then the page is returned as it is, no device copied.
        var serials = Set<String>(minimumCapacity: devices.count)
        guard devices.contains(where: { !serials.insert($0.serialNumber).inserted }) else { return devices }
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

/// Writes a page into `devices` and `device_events` with a few set-based statements: the page
/// goes into a temporary table (one cached insert a device), which then learns from one join,
/// for each device, whether the store has it and whether the operation is stale; history,
/// deletions and the upsert are then one statement each. (`op_type` is often absent: comparisons use `IS`, which
/// treats NULL as a value, never `=`.)
enum PageWriter {
    enum Source {
        case fetch(generation: Int)
        case sync
    }

    /// Applies `devices` (one per serial) as one fetch or sync page, inside the caller's
    /// transaction, and says what changed: counts, and when `capturing` each changed device.
    static func apply(
        _ devices: [Device], to db: Database, source: Source, now: Date, autoAssign: Bool, capturing: Bool
    ) throws -> (PageChanges, [WrittenChange]) {
        guard !devices.isEmpty else { return (PageChanges(), []) }
        let isSync: Bool
        let generation: Int
        switch source {
        case .fetch(let number): (isSync, generation) = (false, number)
        case .sync: (isSync, generation) = (true, 0)
        }
        try createPageTable(db)
        let columns = DeviceColumns.apple.joined(separator: ", ")
        let fill = try PageRowInsert(db, into: "temp.page")
        for device in devices { try fill.insert(device) }
        try db.cachedStatement(
            sql: """
                UPDATE temp.page SET known = CASE WHEN d.removed IS NULL THEN 1 ELSE 2 END,
                    stale = ?1 AND page.op_date IS NOT NULL AND d.op_date IS NOT NULL AND page.op_date < d.op_date,
                    repeated = d.removed IS NULL AND page.op_type IS NOT 'deleted'
                        AND CASE WHEN ?1 THEN \(unchanged) ELSE d.seen_in_fetch >= ?2 END,
                    differs = NOT (\(sameFields))
                FROM devices AS d WHERE d.serial = page.serial
                """
        ).execute(arguments: [isSync, generation])

        // What the page changes, read before it is applied.
        let counts = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT count(*) FILTER (WHERE NOT stale AND op_type IS NOT 'deleted' AND known != 1),
                        count(*) FILTER (WHERE NOT stale AND op_type IS NOT 'deleted' AND known = 1),
                        count(*) FILTER (WHERE NOT stale AND op_type IS 'deleted' AND known = 1),
                        count(*) FILTER (WHERE stale),
                        count(*) FILTER (WHERE NOT stale AND repeated)
                    FROM temp.page
                    """))!
        let before = capturing ? try recordsBefore(db) : [:]
        // The history: every sync operation; of a fetch, the devices it brings.
        try db.cachedStatement(
            sql: """
                INSERT INTO device_events (serial, source, op_type, op_date, profile_status, profile_uuid, recorded)
                SELECT serial, CASE WHEN stale THEN 'sync-stale' ELSE ?1 END,
                    coalesce(op_type, CASE WHEN known != 1 THEN 'added' END), op_date, profile_status, profile_uuid, ?2
                FROM temp.page
                WHERE ?3 OR (known != 1 AND op_type IS NOT 'deleted') OR (op_type IS 'deleted' AND known = 1)
                ORDER BY position
                """
        ).execute(arguments: [isSync ? "sync" : "fetch", now.storeValue, isSync])
        // A deletion may carry the serial alone: a known device keeps its record as it was.
        try db.cachedStatement(
            sql: """
                UPDATE devices SET op_type = 'deleted', op_date = coalesce(p.op_date, devices.op_date),
                    removed = coalesce(devices.removed, ?1), updated = ?1, auto_assign_pending = 0
                FROM temp.page AS p
                WHERE p.serial = devices.serial AND NOT p.stale AND p.op_type IS 'deleted' AND p.known != 0
                """
        ).execute(arguments: [now.storeValue])
        let assignments = DeviceColumns.apple.dropFirst().filter { $0 != "op_type" && $0 != "op_date" }
            .map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try db.cachedStatement(
            sql: """
                INSERT INTO devices (\(columns), first_seen, updated, removed, seen_in_fetch, auto_assign_pending)
                SELECT \(columns), ?1, ?1, CASE WHEN op_type IS 'deleted' THEN ?1 END, ?2,
                    ?3 AND op_type IS NOT 'deleted' AND known != 1
                        AND (profile_status IS NULL OR profile_status IN ('empty', 'removed'))
                FROM temp.page
                WHERE NOT stale AND NOT (op_type IS 'deleted' AND known != 0)
                ORDER BY position
                ON CONFLICT (serial) DO UPDATE SET \(assignments),
                    op_type = coalesce(excluded.op_type, op_type), op_date = coalesce(excluded.op_date, op_date),
                    updated = excluded.updated, removed = excluded.removed,
                    seen_in_fetch = max(seen_in_fetch, excluded.seen_in_fetch),
                    auto_assign_pending = CASE
                        WHEN excluded.removed IS NOT NULL THEN 0
                        WHEN excluded.profile_status IN ('assigned', 'pushed') THEN 0
                        ELSE auto_assign_pending OR excluded.auto_assign_pending END
                """
        ).execute(arguments: [now.storeValue, generation, autoAssign])
        let changed = capturing ? try changes(db, before: before) : []
        try db.cachedStatement(sql: "DELETE FROM temp.page").execute()
        return (
            PageChanges(
                added: counts[0], modified: counts[1], removed: counts[2], stale: counts[3], repeated: counts[4]),
            changed
        )
    }

    /// Whether a sync event (`page`) leaves the stored record (`d`) as it is: every field equal
    /// (`IS`, so absent equals absent), an absent type or date keeping the stored one.
    private static let unchanged =
        sameFields + " AND coalesce(page.op_type, d.op_type) IS d.op_type"
        + " AND coalesce(page.op_date, d.op_date) IS d.op_date"

    /// Whether the page's record (`page`) holds the stored record's (`d`) device fields, the
    /// operation's type and date aside.
    private static let sameFields = DeviceColumns.deviceFields.map { "page.\($0) IS d.\($0)" }
        .joined(separator: " AND ")

    /// The connection's scratch table for one page (temporary tables live per connection),
    /// created once: any `CREATE`, even one that finds the table there, makes GRDB empty its
    /// statement cache, and every page's statements would be compiled again.
    private static func createPageTable(_ db: Database) throws {
        let exists = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM temp.sqlite_master WHERE name = 'page')"))
        guard exists != true else { return }
        let columns = DeviceColumns.apple.map { $0 == "serial" ? "serial TEXT NOT NULL" : $0 }
        try db.execute(
            sql: """
                CREATE TEMP TABLE page (
                    position INTEGER PRIMARY KEY, \(columns.joined(separator: ", ")),
                    known INTEGER NOT NULL DEFAULT 0, stale INTEGER NOT NULL DEFAULT 0,
                    repeated INTEGER NOT NULL DEFAULT 0, differs INTEGER NOT NULL DEFAULT 0)
                """)
    }
}
