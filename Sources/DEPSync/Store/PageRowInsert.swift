import DEPWire
import Foundation
import GRDB
import GRDBSQLite

/// The insert of one device into the page table, its values bound straight to SQLite.
///
/// GRDB's arguments cost a `DatabaseValue` array and a copy of every text a device, most of
/// a full fetch's store time; here each value is bound from where it lies (copied once, by
/// SQLite). The values are those of `DeviceColumns.apple`, in order, stored as GRDB would:
/// text `storable`, times as Unix seconds, lists comma-separated, flags as 0 or 1.
struct PageRowInsert {
    private let statement: Statement
    private let database: Database

    /// A cached insert into `table` of `DeviceColumns.apple`.
    init(_ db: Database, into table: String) throws {
        let columns = DeviceColumns.apple
        statement = try db.cachedStatement(
            sql: """
                INSERT INTO \(table) (\(columns.joined(separator: ", ")))
                VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
                """)
        database = db
    }

    /// Inserts `device`.
    func insert(_ device: Device) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var binder = Binder(handle: handle)
        binder.text(device.serialNumber)
        binder.text(device.description)
        binder.text(device.model)
        binder.text(device.os?.rawValue)
        binder.text(device.deviceFamily?.rawValue)
        binder.text(device.color)
        binder.text(device.assetTag)
        binder.text(device.profileUUID)
        binder.time(device.profileAssignTime)
        binder.time(device.profilePushTime)
        binder.text(device.profileStatus?.rawValue)
        binder.text(device.deviceAssignedBy)
        binder.time(device.deviceAssignedDate)
        binder.time(device.mdmMigrationDeadline)
        binder.text(device.opType?.rawValue)
        binder.time(device.opDate)
        binder.text(device.eid)
        binder.list(device.ethernetMACAddress?.addresses)
        binder.list(device.wifiMACAddress?.addresses)
        binder.list(device.bluetoothMACAddress?.addresses)
        binder.list(device.imei)
        binder.list(device.meid)
        binder.flag(device.isReplacementDevice)
        binder.flag(device.releasedByReplacement)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code),
                message: String(cString: sqlite3_errmsg(database.sqliteConnection)),
                sql: statement.sql)
        }
    }
}

/// Binds a row's values one after another, from parameter 1.
private struct Binder {
    let handle: SQLiteStatement
    private var index: CInt = 0

    init(handle: SQLiteStatement) { self.handle = handle }

    /// SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    /// A non-null pointer for the empty text (a null one would bind NULL).
    private static let empty: StaticString = ""

    mutating func text(_ value: String?) {
        index += 1
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        guard bind(&value) else {
            var storable = value.storable
            _ = bind(&storable)
            return
        }
    }

    mutating func time(_ value: Date?) {
        index += 1
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        sqlite3_bind_double(handle, index, value.storeValue)
    }

    mutating func list(_ values: [String]?) {
        guard let values, values.count != 1 else { return text(values?.first) }
        text(values.joined(separator: ","))
    }

    mutating func flag(_ value: Bool?) {
        index += 1
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
    }

    /// Binds `value` unless it holds a NUL (which GRDB would have stored cut short, and
    /// `storable` replaces): false then, nothing bound.
    private func bind(_ value: inout String) -> Bool {
        let index = index
        return value.withUTF8 { utf8 in
            guard let base = utf8.baseAddress, utf8.count > 0 else {
                let empty = UnsafeRawPointer(Self.empty.utf8Start).assumingMemoryBound(to: CChar.self)
                sqlite3_bind_text(handle, index, empty, 0, Self.transient)
                return true
            }
            guard memchr(base, 0, utf8.count) == nil else { return false }
            let start = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            sqlite3_bind_text(handle, index, start, CInt(utf8.count), Self.transient)
            return true
        }
    }
}
