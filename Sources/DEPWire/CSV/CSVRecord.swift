/// One CSV record as the tokenizer hands it over: the field contents, unquoted and unescaped,
/// stored back to back in one byte array so a record costs no allocation per field.
struct CSVRecord: Hashable, Sendable {
    /// The 1-based physical line the record starts on.
    let line: Int
    /// Every field's bytes, one after the other.
    let bytes: [UInt8]
    /// Where each field ends in `bytes`; field `i` spans `fieldEnds[i - 1]..<fieldEnds[i]`.
    let fieldEnds: [Int]

    /// The number of fields; a blank line is one empty field.
    var count: Int { fieldEnds.count }

    /// The bytes of field `index`.
    subscript(index: Int) -> ArraySlice<UInt8> {
        bytes[(index == 0 ? 0 : fieldEnds[index - 1])..<fieldEnds[index]]
    }

    /// Whether every field holds only whitespace (a blank line, or `,,,` from a spreadsheet).
    var isBlank: Bool { bytes.allSatisfy(SerialNumber.isWhitespace) }

    /// The fields decoded as UTF-8, invalid sequences repaired; for reports and tests.
    var fields: [String] {
        (0..<count).map { String(decoding: self[$0], as: UTF8.self) }
    }
}
