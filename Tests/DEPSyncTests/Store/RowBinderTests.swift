import GRDB
import Testing

@testable import DEPSync

/// Rows bound straight to SQLite, as the store's page inserts bind them.
@Suite struct RowBinderTests {
    private func table() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (a TEXT, b INTEGER, c REAL, UNIQUE (a))") }
        return queue
    }

    @Test func bindsEachKindAndNull() throws {
        let queue = try table()
        try queue.write { db in
            let statement = try db.makeStatement(sql: "INSERT INTO t (a, b, c) VALUES (?, ?, ?)")
            var row = RowBinder(statement)
            row.text("Mac – Book")
            row.integer(42)
            row.real(1.5)
            try row.step(db)
            row = RowBinder(statement)
            row.text("")
            row.integer(nil)
            row.real(nil)
            try row.step(db)
            row = RowBinder(statement)
            row.text(nil)
            row.integer(-1)
            row.real(0)
            try row.step(db)
        }
        let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT a, b, c, typeof(a) FROM t ORDER BY rowid") }
        #expect(rows.map { $0[0] as String? } == ["Mac – Book", "", nil])
        #expect(rows.map { $0[1] as Int64? } == [42, nil, -1])
        #expect(rows.map { $0[2] as Double? } == [1.5, nil, 0])
        // The empty text is text, not NULL.
        #expect(rows[1][3] as String == "text")
    }

    @Test func aNULIsStoredAsAReplacementCharacterKeepingWhatFollows() throws {
        let queue = try table()
        try queue.write { db in
            var row = RowBinder(try db.makeStatement(sql: "INSERT INTO t (a) VALUES (?)"))
            // A NUL and the combining mark after it make one Character; the scalar is replaced.
            row.text("C02\0\u{301}TAIL")
            try row.step(db)
        }
        #expect(try queue.read { db in try String.fetchOne(db, sql: "SELECT a FROM t") } == "C02\u{FFFD}\u{301}TAIL")
    }

    @Test func storableReplacesEveryNULScalar() {
        #expect("a\0b\0\u{301}".storable == "a\u{FFFD}b\u{FFFD}\u{301}")
        #expect("plain".storable == "plain")
    }

    @Test func aFailedStepThrowsSQLitesErrorAndLeavesTheStatementUsable() throws {
        let queue = try table()
        try queue.write { db in
            let statement = try db.makeStatement(sql: "INSERT INTO t (a) VALUES (?)")
            for _ in 0..<2 {
                var row = RowBinder(statement)
                row.text("same")
                if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") == 0 {
                    try row.step(db)
                } else {
                    #expect(throws: DatabaseError.self) { try row.step(db) }
                }
            }
            var row = RowBinder(statement)
            row.text("other")
            try row.step(db)
        }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 2)
    }
}
