/// What the portal did with one line of an assignment file (our vocabulary, dep-api §8).
public enum AssignmentOutcome: String, CaseIterable, Hashable, Sendable {
    /// The device is now assigned to this server; it was assigned to none.
    case assigned
    /// The device was assigned to another server of the organisation and now is to this one.
    case moved
    /// The device was already assigned to this server; nothing changed.
    case alreadyAssigned = "already_assigned"
    /// No device of the organisation has this serial number.
    case unknownSerial = "unknown_serial"
    /// The device is out of the organisation (released); it cannot be assigned.
    case released
    /// The device was assigned to a server and now is to none (an unassignment).
    case unassigned
    /// The device was assigned to no server; an unassignment changed nothing.
    case notAssigned = "not_assigned"
    /// The line could not be read; the detail says why.
    case malformed
    /// The device joined the organisation through Apple Configurator (peers §6).
    case added
    /// Apple Configurator cannot add the device: the organisation already has it.
    case alreadyInOrganisation = "already_in_organisation"
}

/// One row of the per-line report the portal gives back for an assignment upload.
///
/// Columns are `serial_number,line,outcome,detail`: the serial comes first so that a report
/// is itself a valid upload file (the header is recognised, the other columns ignored), and a
/// user can fix or retry its lines and send it back. The serial and detail cells echo what was
/// uploaded, so they are written through ``FormulaGuard`` and read back through it.
public struct AssignmentReportRow: Hashable, Sendable {
    /// The 1-based physical line of the upload the row is about.
    public var line: Int
    /// The normalised serial, or the offending text for a malformed line (may be empty).
    public var serial: String
    /// What happened.
    public var outcome: AssignmentOutcome
    /// Free text for a person: why a line was malformed, which server a device came from.
    public var detail: String

    /// The column names, in order.
    public static let header = ["serial_number", "line", "outcome", "detail"]

    /// The header as a CSV row, line end included.
    public static var headerRow: String { CSVWriter.row(header) }

    /// A row stating `outcome` for `serial` on `line`.
    public init(line: Int, serial: String, outcome: AssignmentOutcome, detail: String = "") {
        self.line = line
        self.serial = serial
        self.outcome = outcome
        self.detail = detail
    }

    /// The `malformed` row for a line the reader rejected, explained by the error's text.
    public init(line: Int, error: CSVLineError) {
        self.init(
            line: line, serial: error.value ?? "", outcome: .malformed,
            detail: error.description)
    }

    /// The row read back from its cells as written (formula-guarded), or `nil` when they are
    /// not a report row.
    public init?(fields: [String]) {
        guard fields.count == Self.header.count, let line = Int(fields[1]),
            let outcome = AssignmentOutcome(rawValue: fields[2])
        else { return nil }
        self.init(
            line: line, serial: FormulaGuard.unguarded(fields[0]), outcome: outcome,
            detail: FormulaGuard.unguarded(fields[3]))
    }

    /// The cells in column order, as written: user text formula-guarded.
    public var fields: [String] {
        [FormulaGuard.guarded(serial), String(line), outcome.rawValue, FormulaGuard.guarded(detail)]
    }

    /// The row as CSV, line end included.
    public var csvRow: String { CSVWriter.row(fields) }
}
