/// Keeps a CSV cell that echoes user input from being run as a formula when the file is opened
/// in a spreadsheet (OWASP, "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, a tab or
/// a carriage return gets a leading `'`, which spreadsheets show as text.
///
/// A cell that already starts with `'` gets one more, so ``unguarded(_:)`` gives back exactly
/// what was guarded, whatever it was.
public enum FormulaGuard {
    /// `cell` as it is safe to write.
    public static func guarded(_ cell: String) -> String {
        guard let first = cell.utf8.first, triggers.contains(first) || first == apostrophe else { return cell }
        return "'" + cell
    }

    /// The cell as it was before ``guarded(_:)``.
    public static func unguarded(_ cell: String) -> String {
        cell.utf8.first == apostrophe ? String(cell.dropFirst()) : cell
    }

    private static let apostrophe = UInt8(ascii: "'")
    private static let triggers: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
    ]
}
