import Foundation

/// A journal entry as a row of the journal page's table; `journal.js` builds the same row for
/// entries that arrive while the page is open.
struct JournalRow {
    let seq: Int
    let time: String
    let method: String
    let path: String
    let operation: String
    let status: Int
    /// `ok`, `warn` or `error`, for the status's badge.
    let statusClass: String
    let server: String?
    let duration: String
    let fault: String?
    let why: String?

    init(_ entry: JournalEntry) {
        seq = entry.seq
        time = WebFormat.moment(entry.worldTime)
        method = entry.method
        path = entry.path
        operation = entry.operation
        status = entry.status
        statusClass = Self.statusClass(entry.status)
        server = entry.server
        duration = String(format: "%.1f ms", entry.durationMs)
        fault = entry.fault
        why = entry.why
    }

    static func statusClass(_ status: Int) -> String {
        switch status {
        case ..<400: "ok"
        case 400..<500: "warn"
        default: "error"
        }
    }
}
