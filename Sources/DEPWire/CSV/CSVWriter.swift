/// Writes RFC 4180 CSV rows.
///
/// Rows end with CRLF, as RFC 4180 says and spreadsheets expect. A field is quoted only when
/// it must be: when it holds a comma, a double quote, CR or LF; quotes inside are doubled.
/// Everything else, leading and trailing spaces included, is written as it is, so our
/// tokenizer reads back exactly the fields that were written.
public enum CSVWriter {
    /// The line end after every row.
    public static let lineEnding = "\r\n"

    /// `fields` as one CSV row, line end included.
    public static func row(_ fields: [String]) -> String {
        var output = ""
        appendRow(fields, to: &output)
        return output
    }

    /// Appends `fields` as one CSV row, line end included, to `output`; for building a
    /// whole report without a string per row.
    public static func appendRow(_ fields: [String], to output: inout String) {
        for (index, field) in fields.enumerated() {
            if index > 0 { output.append(",") }
            if needsQuoting(field) {
                output.append("\"")
                for scalar in field.unicodeScalars {
                    if scalar == "\"" { output.append("\"") }
                    output.unicodeScalars.append(scalar)
                }
                output.append("\"")
            } else {
                output.append(field)
            }
        }
        output.append(lineEnding)
    }

    /// Whether `field` has to be quoted: it holds a comma, a quote, CR or LF.
    public static func needsQuoting(_ field: String) -> Bool {
        field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
    }
}
