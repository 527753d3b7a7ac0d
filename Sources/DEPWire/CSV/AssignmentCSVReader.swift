/// One result of reading an assignment CSV file: a serial number, or why a line held none.
public enum AssignmentCSVLine: Hashable, Sendable {
    /// A valid serial, normalised to upper case, from the record starting on `line`.
    case serial(String, line: Int)
    /// The record starting on `line` could not be used.
    case error(CSVLineError, line: Int)

    /// The 1-based physical line the record starts on.
    public var line: Int {
        switch self {
        case .serial(_, let line), .error(_, let line): line
        }
    }
}

/// Reads our bulk-assignment CSV format, fed in byte chunks of any size, without ever holding
/// more than one record (dep-api §8: Apple publishes no format, so this one is ours).
///
/// The format:
/// - UTF-8, with or without a byte-order mark (`EF BB BF`) at the very start.
/// - Records end with LF, CRLF or a lone CR. Fields are separated by commas and follow
///   RFC 4180 quoting: a field in double quotes may hold commas, line ends and `""` for a
///   quote. Spaces or tabs just outside the quotes are allowed.
/// - The serial number is in the first column; further columns are ignored (not even
///   checked for UTF-8). The serial must pass ``SerialNumber``: 8 to 20 ASCII letters or
///   digits once surrounding whitespace is trimmed, reported in upper case.
/// - The first non-blank record is a header, and skipped, when its first cell is
///   `Serial Number`, `serial_number` or `serial` (any case, whitespace around it ignored).
/// - Blank records (empty, whitespace only, or only empty cells such as `,,,`) are skipped.
/// - A record longer than `maxLineLength` bytes (default 4096, line end not counted) is a
///   ``CSVLineError/lineTooLong(limit:)`` and the rest of its line is skipped unread.
///
/// Problems are per line: each yields `.error(_, line:)` and reading resumes at the next
/// physical line end. Line numbers are 1-based physical lines (a quoted line end counts) of
/// the record's first line; the BOM and header do not shift them.
public struct AssignmentCSVReader: Sendable {
    /// The default longest record, in bytes.
    public static let defaultMaxLineLength = 4096

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    private static let headerNames = Set(
        ["serial number", "serial_number", "serial"].map { Array($0.utf8) })

    private var tokenizer: CSVTokenizer
    private var byteOrderMarkMatched = 0
    private var isAtStart = true
    private var isHeaderAllowed = true

    /// A reader that reports records longer than `maxLineLength` bytes (which must be
    /// positive) as too long.
    public init(maxLineLength: Int = defaultMaxLineLength) {
        tokenizer = CSVTokenizer(maxRecordLength: maxLineLength)
    }

    /// The longest record, in bytes, this reader accepts.
    public var maxLineLength: Int { tokenizer.maxRecordLength }

    /// How many bytes of the record in progress are held; at most `maxLineLength`.
    var bufferedByteCount: Int { tokenizer.bufferedByteCount }

    /// Reads the whole of `bytes` as one file.
    public static func lines(
        in bytes: some Collection<UInt8>, maxLineLength: Int = defaultMaxLineLength
    ) -> [AssignmentCSVLine] {
        var reader = AssignmentCSVReader(maxLineLength: maxLineLength)
        return reader.feed(bytes) + reader.finish()
    }

    /// Consumes the next chunk of the file and returns the results of the records it
    /// completed, in order; a record split across chunks is reported by a later call.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [AssignmentCSVLine] {
        var results: [AssignmentCSVLine] = []
        let handled: Void? = bytes.withContiguousStorageIfAvailable {
            feed($0, into: &results)
        }
        if handled == nil {
            Array(bytes).withUnsafeBufferPointer { feed($0, into: &results) }
        }
        return results
    }

    /// Ends the file: returns the result of a last record without a line end, or the error
    /// for an unclosed quote. The reader is then ready for a new file.
    public mutating func finish() -> [AssignmentCSVLine] {
        var results: [AssignmentCSVLine] = []
        if isAtStart {  // a file shorter than a BOM, or a BOM cut short
            Self.byteOrderMark.prefix(byteOrderMarkMatched).withUnsafeBufferPointer {
                tokenize($0, into: &results)
            }
        }
        var headerAllowed = isHeaderAllowed
        tokenizer.finish { results.appendResult(of: $0, headerAllowed: &headerAllowed) }
        self = AssignmentCSVReader(maxLineLength: maxLineLength)
        return results
    }

    private mutating func feed(
        _ bytes: UnsafeBufferPointer<UInt8>, into results: inout [AssignmentCSVLine]
    ) {
        var rest = bytes[...]
        while isAtStart, let byte = rest.first {
            if byte == Self.byteOrderMark[byteOrderMarkMatched] {
                byteOrderMarkMatched += 1
                rest = rest.dropFirst()
                isAtStart = byteOrderMarkMatched < Self.byteOrderMark.count
            } else {  // no BOM after all: the bytes taken for one are data
                isAtStart = false
                Self.byteOrderMark.prefix(byteOrderMarkMatched).withUnsafeBufferPointer {
                    tokenize($0, into: &results)
                }
            }
        }
        tokenize(UnsafeBufferPointer(rebasing: rest), into: &results)
    }

    private mutating func tokenize(
        _ bytes: UnsafeBufferPointer<UInt8>, into results: inout [AssignmentCSVLine]
    ) {
        var headerAllowed = isHeaderAllowed
        tokenizer.feed(bytes) { results.appendResult(of: $0, headerAllowed: &headerAllowed) }
        isHeaderAllowed = headerAllowed
    }

    /// Whether `cell` names the serial column.
    fileprivate static func isHeader(_ cell: ArraySlice<UInt8>) -> Bool {
        let name = SerialNumber.trimmed(cell)
        guard name.count <= 13 else { return false }  // longer than "serial number"
        return headerNames.contains(name.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 })
    }
}

extension [AssignmentCSVLine] {
    /// Appends what `output` means for an assignment file: nothing for a blank or header
    /// record, otherwise a serial or an error.
    fileprivate mutating func appendResult(
        of output: CSVTokenizer.Output, headerAllowed: inout Bool
    ) {
        switch output {
        case .failure(let error, let line):
            headerAllowed = false
            append(.error(error, line: line))
        case .record(let record):
            guard !record.isBlank else { return }
            defer { headerAllowed = false }
            let cell = record[0]
            if headerAllowed && AssignmentCSVReader.isHeader(cell) { return }
            if let serial = SerialNumber.normalized(utf8: cell) {
                append(.serial(serial, line: record.line))
            } else if let text = String(validating: SerialNumber.trimmed(cell), as: UTF8.self) {
                append(.error(.invalidSerial(text), line: record.line))
            } else {
                append(.error(.invalidUTF8, line: record.line))
            }
        }
    }
}
