import DEPWire
import GRDB

/// A set of serial numbers the portal acts on at once (typed in, picked from an order, or read
/// from a CSV upload), held in a temporary table so that 100,000 serials are classified and
/// applied with a few set-based statements instead of one round of queries each.
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
                    line INTEGER PRIMARY KEY, serial TEXT NOT NULL, outcome TEXT, detail TEXT NOT NULL DEFAULT '');
                CREATE INDEX IF NOT EXISTS temp.batch_by_serial ON batch(serial);
                DELETE FROM batch;
                """)
    }

    /// Adds the lines of an upload: serials to act on, and malformed lines as they are.
    func add(_ lines: some Sequence<AssignmentCSVLine>) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO batch (line, serial, outcome, detail) VALUES (?, ?, ?, ?)")
        for line in lines {
            switch line {
            case .serial(let serial, let number):
                try statement.execute(arguments: [number, serial, nil, ""])
            case .error(let error, let number):
                try statement.execute(arguments: [
                    number, error.value ?? "", AssignmentOutcome.malformed.rawValue, error.description,
                ])
            }
        }
    }

    /// Adds serials numbered 1, 2, 3… in the order given.
    func add(serials: [String]) throws {
        try add(serials.enumerated().map { AssignmentCSVLine.serial($0.element, line: $0.offset + 1) })
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

    /// Marks the serials outside the organisation, those released from it, and lines that repeat
    /// an earlier line's serial: what no action can apply to.
    func decideUnactionable() throws {
        try decide(
            .unknownSerial, detail: "'no device of the organisation has this serial number'",
            where: "serial NOT IN (SELECT serial FROM devices)")
        try decide(
            .released, detail: "'the device was released from the organisation'",
            where: "serial IN (SELECT serial FROM devices WHERE released IS NOT NULL)")
        try decide(
            .alreadyAssigned,
            detail: "'listed again; first on line ' || (SELECT MIN(b.line) FROM batch b WHERE b.serial = batch.serial)",
            where: "EXISTS (SELECT 1 FROM batch b WHERE b.serial = batch.serial AND b.line < batch.line)")
    }

    /// The serials whose line ended with one of `outcomes`, as an SQL subquery.
    static func serials(_ outcomes: AssignmentOutcome...) -> String {
        "SELECT serial FROM batch WHERE outcome IN (\(outcomes.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
    }

    /// The report, one row per line, in line order.
    func report() throws -> [AssignmentReportRow] {
        try Row.fetchAll(db, sql: "SELECT line, serial, outcome, detail FROM batch ORDER BY line").map { row in
            AssignmentReportRow(
                line: row[0], serial: row[1], outcome: AssignmentOutcome(rawValue: row[2]) ?? .malformed, detail: row[3]
            )
        }
    }
}
