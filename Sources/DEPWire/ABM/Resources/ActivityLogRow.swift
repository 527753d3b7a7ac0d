/// One line of an activity's CSV log (the file at `downloadUrl`, peers §5.4): a device and what
/// the activity did with it. Per-serial failures, an unknown serial among them, show only here.
///
/// Apple documents no columns; fakedep writes `serial_number,result,detail`, the serial and the
/// detail formula-guarded (`FormulaGuard`), and these rows read it back.
public struct ActivityLogRow: Hashable, Sendable {
    /// The column names, in order.
    public static let header = ["serial_number", "result", "detail"]
    /// The result of a device the activity changed (or found as asked).
    public static let success = "SUCCESS"
    /// The result of a device it could not change.
    public static let failed = "FAILED"

    public var serial: String
    /// `SUCCESS` or `FAILED`, as sent.
    public var result: String
    /// Why, for a person.
    public var detail: String

    public init(serial: String, result: String, detail: String = "") {
        self.serial = serial
        self.result = result
        self.detail = detail
    }

    /// Whether the device came out as asked.
    public var succeeded: Bool { result == Self.success }

    /// The row of a record's cells, or `nil` for the header and records of another shape.
    public init?(fields: [String]) {
        guard fields.count == Self.header.count, fields != Self.header, !fields[0].isEmpty else { return nil }
        self.init(
            serial: FormulaGuard.unguarded(fields[0]), result: fields[1], detail: FormulaGuard.unguarded(fields[2]))
    }

    /// The cells in column order, user text formula-guarded.
    public var fields: [String] { [FormulaGuard.guarded(serial), result, FormulaGuard.guarded(detail)] }

    /// Reads a whole log; records that are not rows (the header included) are skipped. A log is
    /// one line per device of one activity, so it is read at once.
    public static func rows(in bytes: some Collection<UInt8>) -> [ActivityLogRow] {
        var tokenizer = CSVTokenizer(maxRecordLength: AssignmentReportReader.maxRecordLength)
        var rows: [ActivityLogRow] = []
        let emit: (CSVTokenizer.Output) -> Void = { output in
            guard case .record(let record) = output, let row = ActivityLogRow(fields: record.fields) else { return }
            rows.append(row)
        }
        Array(bytes).withUnsafeBufferPointer { tokenizer.feed($0, emit) }
        tokenizer.finish(emit)
        return rows
    }
}
