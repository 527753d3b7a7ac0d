import GRDB
import GRDBSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Binds one row's values straight to a prepared statement, parameter 1 first, and runs it.
///
/// GRDB's `StatementArguments` cost an array of `DatabaseValue`s and a copy of every text per
/// row: for a page of devices, most of the time spent outside SQLite. Here each value is bound
/// from where it lies and copied once, by SQLite.
struct RowBinder {
    private let statement: Statement
    private var index: CInt = 0

    /// SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    /// A non-null pointer for the empty text (a null one would bind NULL).
    private static let empty: StaticString = ""

    /// A binder for a new row of `statement`.
    init(_ statement: Statement) {
        self.statement = statement
        sqlite3_reset(statement.sqliteStatement)
    }

    /// Binds text whole, as `storable` keeps it; `nil` binds NULL.
    mutating func text(_ value: String?) {
        index += 1
        guard var value else {
            sqlite3_bind_null(statement.sqliteStatement, index)
            return
        }
        if !bind(&value) {
            var storable = value.storable
            _ = bind(&storable)
        }
    }

    /// Binds an integer; `nil` binds NULL.
    mutating func integer(_ value: Int64?) {
        index += 1
        guard let value else {
            sqlite3_bind_null(statement.sqliteStatement, index)
            return
        }
        sqlite3_bind_int64(statement.sqliteStatement, index, value)
    }

    /// Binds a real number; `nil` binds NULL.
    mutating func real(_ value: Double?) {
        index += 1
        guard let value else {
            sqlite3_bind_null(statement.sqliteStatement, index)
            return
        }
        sqlite3_bind_double(statement.sqliteStatement, index, value)
    }

    /// Runs the statement with the values bound so far, then resets it.
    func step(_ db: Database) throws {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                sql: statement.sql)
        }
    }

    /// Binds `value` unless it holds a NUL: false then, nothing bound.
    private func bind(_ value: inout String) -> Bool {
        let (handle, index) = (statement.sqliteStatement, index)
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
