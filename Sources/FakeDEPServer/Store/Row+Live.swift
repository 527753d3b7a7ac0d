import GRDB

extension Row {
    /// The rows `statement` selects, each transformed while it is live: decoding straight from
    /// SQLite's columns is several times faster than from copied rows, and pages of 1000 devices
    /// are read this way.
    static func map<T>(
        _ statement: Statement, arguments: StatementArguments, _ transform: (Row) throws -> T
    ) throws -> [T] {
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        var results: [T] = []
        while let row = try cursor.next() { results.append(try transform(row)) }
        return results
    }
}
