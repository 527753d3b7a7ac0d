public import DEPWire
import Synchronization

/// Receives a portal action's per-line report while its transaction produces it: kept in memory
/// for small actions (``AssignmentReport``), or written to a file that is streamed to the client,
/// so that a 2,000,000-line upload never holds its report in memory.
public protocol AssignmentReportSink: Sendable {
    /// Called once, before the rows, with how many lines ended with each outcome.
    func begin(counts: [AssignmentOutcome: Int]) throws
    /// Called for each line, in line order.
    func write(_ row: AssignmentReportRow) throws
}

/// What one portal action did, line by line.
public struct AssignmentReport: Sendable {
    public var rows: [AssignmentReportRow]

    /// How many lines ended with each outcome.
    public var counts: [AssignmentOutcome: Int] {
        rows.reduce(into: [:]) { $0[$1.outcome, default: 0] += 1 }
    }
}

/// Collects a report in memory.
final class ReportCollector: AssignmentReportSink {
    private let rows = Mutex<[AssignmentReportRow]>([])

    func begin(counts: [AssignmentOutcome: Int]) {}

    func write(_ row: AssignmentReportRow) {
        rows.withLock { $0.append(row) }
    }

    /// The rows received so far.
    var report: AssignmentReport { AssignmentReport(rows: rows.withLock { $0 }) }
}
