import Foundation
import GRDB
import GRDBSQLite

/// The row a statement is on, read straight from SQLite's column memory: text is borrowed UTF-8,
/// valid until the statement steps again, so a page of a thousand devices makes no strings.
///
/// Values read as GRDB reads them (`String`, `Int64`, `Bool`, each optional); a flag is true
/// when its integer is not zero. Text is taken at the length SQLite keeps: fakedep stores no
/// text with a NUL byte (GRDB binds text as C strings, `RowBinder` replaces NULs), so there is
/// no first NUL to look for, as `String(cString:)` would.
struct LiveColumns {
    private let statement: SQLiteStatement

    /// The columns of `statement`'s current row; read them only while a cursor over it is on one.
    init(_ statement: Statement) { self.statement = statement.sqliteStatement }

    /// Column `index` as UTF-8; `nil` for NULL.
    func text(_ index: Int32) -> UnsafeBufferPointer<UInt8>? {
        // SQLite gives no pointer for NULL, so the pointer alone tells; the length is asked
        // after the text, as SQLite's documentation says.
        guard let start = sqlite3_column_text(statement, index) else { return nil }
        return UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(statement, index)))
    }

    /// Column `index` as an integer; `nil` for NULL.
    func integer(_ index: Int32) -> Int64? {
        sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, index)
    }

    /// Column `index` as a flag; `nil` for NULL.
    func flag(_ index: Int32) -> Bool? {
        integer(index).map { $0 != 0 }
    }
}
