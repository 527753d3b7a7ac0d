/// Why one line of an assignment CSV file could not be read.
///
/// A bad line never fails the whole file: the reader reports it with its line number and
/// carries on with the next line (dep-api §8 asks for per-line reports). The description is
/// written for the person who made the file and says how to fix it.
public enum CSVLineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A double quote appears inside a field that does not start with one (`AB"C`).
    case bareQuote
    /// A quoted field is still open when the input ends.
    case unterminatedQuote
    /// Something other than a comma, a line end or spaces follows a closing quote (`"AB"C`).
    case textAfterClosingQuote
    /// The record is longer than `limit` bytes; the rest of its line was skipped unread.
    case lineTooLong(limit: Int)
    /// The first cell is not a serial number; `value` is the cell with whitespace trimmed.
    case invalidSerial(String)
    /// The first cell is not valid UTF-8, so there is no text to show.
    case invalidUTF8

    /// The offending cell text, when the error has one (only `invalidSerial`).
    public var value: String? {
        if case .invalidSerial(let value) = self { return value }
        return nil
    }

    /// A sentence saying what is wrong with the line and how to fix it.
    public var description: String {
        switch self {
        case .bareQuote:
            "a double quote inside an unquoted field: "
                + "quote the whole field and write each quote inside it twice"
        case .unterminatedQuote:
            "a quoted field is not closed before the end of the file: add the closing quote"
        case .textAfterClosingQuote:
            "text follows a closing quote: "
                + "quote the whole field and write each quote inside it twice"
        case .lineTooLong(let limit):
            "the line is longer than \(limit) bytes: put one serial number on each line"
        case .invalidSerial(let value) where value.isEmpty:
            "the first column is empty: put the serial number in the first column"
        case .invalidSerial(let value):
            "\"\(value)\" is not a serial number: expected \(SerialNumber.lengthRange.lowerBound)"
                + " to \(SerialNumber.lengthRange.upperBound) letters and digits"
        case .invalidUTF8:
            "the first column is not valid UTF-8: save the file as UTF-8 text"
        }
    }
}
