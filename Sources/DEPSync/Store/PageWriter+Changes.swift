import Foundation
import GRDB

/// The device changes of a page, read inside its transaction: each changed device's record
/// before the page is applied and after, so that a `depsync.DevicesChanged` event says exactly
/// what the store took in. Changes are written as JSON as they are read (`WrittenChange`).
extension PageWriter {
    /// Which rows of `temp.page` change a device, and how (`known`: 0 new, 1 present, 2 removed).
    private static let changing = """
        NOT p.stale AND (
            (p.known != 1 AND p.op_type IS NOT 'deleted')
            OR (p.known = 1 AND (p.op_type IS 'deleted' OR p.differs)))
        """

    private static let storedColumns = (DeviceColumns.apple + DeviceColumns.local).map { "d.\($0)" }
        .joined(separator: ", ")

    /// The stored records of the page's devices that are about to change, by serial.
    static func recordsBefore(_ db: Database) throws -> [String: LocalDevice] {
        var records: [String: LocalDevice] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT \(storedColumns) FROM temp.page AS p JOIN devices AS d ON d.serial = p.serial
                    WHERE p.known != 0 AND \(changing)
                    """))
        while let row = try rows.next() {
            let device = DeviceColumns.localDevice(row)
            records[device.serialNumber] = device
        }
        return records
    }

    /// The page's changes, in the page's order, once it is applied. A device new to the store
    /// (most of a full fetch) is written straight from its row; one with a record before is
    /// read into a `DeviceChange`, which compares the two.
    static func changes(_ db: Database, before: [String: LocalDevice]) throws -> [WrittenChange] {
        var changes: [WrittenChange] = []
        let statement = try db.cachedStatement(
            sql: """
                SELECT \(storedColumns),
                    CASE WHEN p.op_type IS 'deleted' THEN 'removed' WHEN p.known != 1 THEN 'added' ELSE 'modified' END
                FROM temp.page AS p JOIN devices AS d ON d.serial = p.serial
                WHERE \(changing) ORDER BY p.position
                """)
        let rows = try Row.fetchCursor(statement)
        let removedColumn = DeviceColumns.apple.count + 1
        let kindColumn = DeviceColumns.apple.count + DeviceColumns.local.count
        let stored = StoredDeviceJSON(statement: statement.sqliteStatement)
        while let row = try rows.next() {
            let kind = DeviceChange.Kind(rawValue: row[kindColumn]) ?? .modified
            if !before.isEmpty, let previous = before[String(decoding: stored.serialNumber, as: UTF8.self)] {
                let after = DeviceColumns.localDevice(row)
                changes.append(try WrittenChange(DeviceChange(kind, before: previous, after: after)))
            } else {
                changes.append(WrittenChange(kind, isRemoved: !row.hasNull(atIndex: removedColumn), after: stored))
            }
        }
        return changes
    }

    /// The devices a completed full fetch is about to mark removed, as changes.
    static func unlistedChanges(_ db: Database, generation: Int, now: Date) throws -> [WrittenChange] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT \(DeviceColumns.selection) FROM devices
                WHERE removed IS NULL AND seen_in_fetch < ? ORDER BY serial
                """, arguments: [generation]
        ).map { row in
            let before = DeviceColumns.localDevice(row)
            var after = before
            after.removed = now
            return try WrittenChange(DeviceChange(.removed, before: before, after: after))
        }
    }
}
