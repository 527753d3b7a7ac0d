import DEPWire
import GRDB

/// A set of serial numbers the portal acts on at once (typed in, picked from an order, or read
/// from a CSV upload), held in a temporary table so that 100,000 serials are classified and
/// applied with a few set-based statements instead of one round of queries each.
///
/// Each serial is looked up in `devices` once (`lookUp`): whether the organisation has it, whether
/// it was released, which server has it. Decisions then read only the batch.
///
/// Lives for one write transaction.
struct AssignmentBatch {
    let db: Database

    /// Starts an empty batch on `db`'s connection.
    init(_ db: Database) throws {
        self.db = db
        try db.execute(
            sql: """
                CREATE TEMP TABLE IF NOT EXISTS batch (
                    line INTEGER PRIMARY KEY, serial TEXT NOT NULL, outcome TEXT, detail TEXT NOT NULL DEFAULT '',
                    known INTEGER NOT NULL DEFAULT 0, released INTEGER NOT NULL DEFAULT 0,
                    server_id INTEGER, server_name TEXT);
                CREATE INDEX IF NOT EXISTS temp.batch_by_serial ON batch(serial);
                DELETE FROM batch;
                """)
    }

    /// Adds the lines of an upload: serials to act on, and malformed lines as they are.
    ///
    /// The lines go to SQLite as one JSON array read by `json_each`: one statement instead of one
    /// per line.
    func add(_ lines: some Sequence<AssignmentCSVLine>) throws {
        var json: [UInt8] = [UInt8(ascii: "[")]
        for line in lines {
            if json.count > 1 { json.append(UInt8(ascii: ",")) }
            json.append(UInt8(ascii: "["))
            switch line {
            case .serial(let serial, let number):
                json.append(contentsOf: "\(number),".utf8)
                DEPJSON.appendString(serial, to: &json)
                json.append(contentsOf: ",null,\"\"".utf8)
            case .error(let error, let number):
                json.append(contentsOf: "\(number),".utf8)
                DEPJSON.appendString(error.value ?? "", to: &json)
                json.append(contentsOf: ",\"\(AssignmentOutcome.malformed.rawValue)\",".utf8)
                DEPJSON.appendString(error.description, to: &json)
            }
            json.append(UInt8(ascii: "]"))
        }
        json.append(UInt8(ascii: "]"))
        try db.execute(
            sql: """
                INSERT INTO batch (line, serial, outcome, detail)
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?)
                """,
            arguments: [String(decoding: json, as: UTF8.self)])
    }

    /// Adds the devices of `order` still in the organisation, numbered 1, 2, 3… in serial order:
    /// all of them, or the first `count` that no server has.
    func add(order: String, count: Int?) throws {
        try db.execute(
            sql: """
                INSERT INTO batch (line, serial)
                SELECT ROW_NUMBER() OVER (ORDER BY serial), serial FROM devices
                WHERE order_number = ? AND released IS NULL \(count == nil ? "" : "AND server_id IS NULL")
                ORDER BY serial LIMIT ?
                """,
            arguments: [order, count ?? -1])
    }

    /// Sets `outcome` (and `detail`, an SQL expression) on the undecided lines `condition` holds for.
    func decide(
        _ outcome: AssignmentOutcome, detail: String = "''", where condition: String,
        _ arguments: StatementArguments = []
    ) throws {
        try db.execute(
            sql: "UPDATE batch SET outcome = ?, detail = \(detail) WHERE outcome IS NULL AND \(condition)",
            arguments: [outcome.rawValue] + arguments)
    }

    /// Looks every undecided serial up in `devices` (and its server's name), in one pass.
    func lookUp() throws {
        try db.execute(
            sql: """
                UPDATE batch SET known = 1, released = d.released IS NOT NULL, server_id = d.server_id, server_name = s.name
                FROM devices d LEFT JOIN servers s ON s.id = d.server_id
                WHERE d.serial = batch.serial AND batch.outcome IS NULL
                """)
    }

    /// Looks the serials up, then marks those outside the organisation, those released from it,
    /// and lines that repeat an earlier line's serial: what no action can apply to.
    func decideUnactionable() throws {
        try lookUp()
        try decide(.unknownSerial, detail: "'no device of the organisation has this serial number'", where: "known = 0")
        try decide(.released, detail: "'the device was released from the organisation'", where: "released = 1")
        try decide(
            .alreadyAssigned,
            detail: "'listed again; first on line ' || (SELECT MIN(b.line) FROM batch b WHERE b.serial = batch.serial)",
            where: "EXISTS (SELECT 1 FROM batch b WHERE b.serial = batch.serial AND b.line < batch.line)")
    }

    /// Appends a `deleted` event to the log of each server that had a device whose line ended
    /// with one of `outcomes` (an unassignment, a move away, a release).
    func appendDeletedEvents(for outcomes: AssignmentOutcome..., at now: Int64) throws {
        try db.execute(
            sql: """
                INSERT INTO events (server_id, serial, op_type, op_date)
                SELECT server_id, serial, 'deleted', ? FROM batch
                WHERE server_id IS NOT NULL AND outcome IN (\(Self.list(outcomes))) ORDER BY line
                """,
            arguments: [now])
    }

    /// Sets `assignments` (SQL `column = value` pairs) on the devices whose line ended with one of
    /// `outcomes`.
    func updateDevices(_ assignments: String, for outcomes: AssignmentOutcome..., arguments: StatementArguments = [])
        throws
    {
        // `IN (subquery)` walks the devices in serial order, which is faster here than
        // `UPDATE … FROM batch`'s walk in line order.
        try db.execute(
            sql: """
                UPDATE devices SET \(assignments)
                WHERE serial IN (SELECT serial FROM batch WHERE outcome IN (\(Self.list(outcomes))))
                """,
            arguments: arguments)
    }

    private static func list(_ outcomes: [AssignmentOutcome]) -> String {
        outcomes.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    }

    /// The report, one row per line, in line order.
    func report() throws -> [AssignmentReportRow] {
        let collector = ReportCollector()
        try report(into: collector)
        return collector.report.rows
    }

    /// Hands the report to `sink`: the counts by outcome, then each row in line order, read with
    /// a cursor so that no more than one row is held at a time.
    func report(into sink: some AssignmentReportSink) throws {
        var counts: [AssignmentOutcome: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT outcome, COUNT(*) FROM batch GROUP BY outcome") {
            counts[AssignmentOutcome(rawValue: row[0]) ?? .malformed, default: 0] += row[1]
        }
        try sink.begin(counts: counts)
        let rows = try Row.fetchCursor(db, sql: "SELECT line, serial, outcome, detail FROM batch ORDER BY line")
        while let row = try rows.next() {
            try sink.write(
                AssignmentReportRow(
                    line: row[0], serial: row[1], outcome: AssignmentOutcome(rawValue: row[2]) ?? .malformed,
                    detail: row[3]))
        }
    }
}
