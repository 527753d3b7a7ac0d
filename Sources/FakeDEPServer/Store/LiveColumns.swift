import Foundation
import GRDB
import GRDBSQLite

/// The row a statement is on, read straight from SQLite's column memory: text is borrowed UTF-8,
/// valid until the statement steps again, so a page of a thousand devices makes no strings.
///
/// Values read as GRDB reads them (`String`, `Int64`, `Bool`, each optional): text up to its
/// first NUL byte, as `String(cString:)` takes it; a flag true when its integer is not zero.
struct LiveColumns {
    private let statement: SQLiteStatement

    /// The columns of `statement`'s current row; read them only while a cursor over it is on one.
    init(_ statement: Statement) { self.statement = statement.sqliteStatement }

    /// Column `index` as UTF-8; `nil` for NULL.
    func text(_ index: Int32) -> UnsafeBufferPointer<UInt8>? {
        // SQLite gives no pointer for NULL, so the pointer alone tells.
        guard let start = sqlite3_column_text(statement, index) else { return nil }
        return UnsafeBufferPointer(start: start, count: strlen(start))
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
