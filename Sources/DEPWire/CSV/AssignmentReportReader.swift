/// Reads a per-line assignment report (the CSV the portal answers an upload with) back into
/// rows, with the same RFC 4180 tokenizer that reads uploads, fed in chunks of any size.
public struct AssignmentReportReader: Sendable {
    /// The longest report record read; a malformed line's text is at most an upload's 4096 bytes.
    public static let maxRecordLength = 64 << 10

    private var tokenizer = CSVTokenizer(maxRecordLength: maxRecordLength)

    public init() {}

    /// Reads the whole of `bytes` as one report; records that are not report rows (the header
    /// included) are skipped.
    public static func rows(in bytes: some Collection<UInt8>) -> [AssignmentReportRow] {
        var reader = AssignmentReportReader()
        return reader.feed(bytes) + reader.finish()
    }

    /// Consumes the next chunk and returns the rows it completed.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [AssignmentReportRow] {
        var rows: [AssignmentReportRow] = []
        let handled: Void? = bytes.withContiguousStorageIfAvailable { feed($0, into: &rows) }
        if handled == nil { Array(bytes).withUnsafeBufferPointer { feed($0, into: &rows) } }
        return rows
    }

    /// Ends the report: returns a last row without a line end.
    public mutating func finish() -> [AssignmentReportRow] {
        var rows: [AssignmentReportRow] = []
        tokenizer.finish { rows.appendRow(of: $0) }
        self = AssignmentReportReader()
        return rows
    }

    private mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, into rows: inout [AssignmentReportRow]) {
        tokenizer.feed(bytes) { rows.appendRow(of: $0) }
    }
}

extension [AssignmentReportRow] {
    fileprivate mutating func appendRow(of output: CSVTokenizer.Output) {
        guard case .record(let record) = output, let row = AssignmentReportRow(fields: record.fields) else { return }
        append(row)
    }
}
