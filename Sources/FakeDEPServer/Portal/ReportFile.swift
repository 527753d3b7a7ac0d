import DEPWire
import Foundation
import Hummingbird
import Synchronization

/// A portal action's per-line report, written to a temporary file as its transaction produces
/// it and then streamed to the client: a 2,000,000-line report never sits in memory. The file
/// is removed once sent, or when this goes away unsent.
final class ReportFile: AssignmentReportSink {
    /// The report's shape: ``AssignmentReportRow``'s CSV, or ``PortalReport``'s JSON.
    enum Format: Sendable {
        case csv, json

        var contentType: String { self == .csv ? "text/csv; charset=utf-8" : "application/json" }
    }

    private struct State {
        var file: FileHandle
        var buffer: [UInt8] = []
        var rowCount = 0
    }

    let format: Format
    private let url = UploadFile.temporaryURL(suffix: "report")
    private let state: Mutex<State>

    init(_ format: Format) throws {
        self.format = format
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw PortalError(.tooLarge, "The report could not be kept: no room in \(url.path).")
        }
        state = Mutex(State(file: try FileHandle(forWritingTo: url)))
    }

    deinit {
        state.withLock { try? $0.file.close() }
        try? FileManager.default.removeItem(at: url)
    }

    func begin(counts: [AssignmentOutcome: Int]) throws {
        try append(isRow: false) { buffer in
            switch format {
            case .csv: buffer.append(contentsOf: AssignmentReportRow.headerRow.utf8)
            case .json:
                // Counts in the outcome vocabulary's order, as PortalReport writes them.
                buffer.append(contentsOf: #"{"counts":{"#.utf8)
                let present = AssignmentOutcome.allCases.compactMap { outcome in counts[outcome].map { (outcome, $0) } }
                for (index, (outcome, count)) in present.enumerated() {
                    if index > 0 { buffer.append(UInt8(ascii: ",")) }
                    buffer.append(contentsOf: "\"\(outcome.rawValue)\":\(count)".utf8)
                }
                buffer.append(contentsOf: #"},"lines":["#.utf8)
            }
        }
    }

    func write(_ row: AssignmentReportRow) throws {
        try append(isRow: true) { buffer in
            switch format {
            case .csv: buffer.append(contentsOf: row.csvRow.utf8)
            case .json:
                buffer.append(contentsOf: #"{"line":\#(row.line),"serial":"#.utf8)
                DEPJSON.appendString(row.serial, to: &buffer)
                buffer.append(contentsOf: #","outcome":"\#(row.outcome.rawValue)""#.utf8)
                if !row.detail.isEmpty {
                    buffer.append(contentsOf: #","detail":"#.utf8)
                    DEPJSON.appendString(row.detail, to: &buffer)
                }
                buffer.append(UInt8(ascii: "}"))
            }
        }
    }

    /// The whole report as a `200` answer, streamed from the file.
    func response() throws -> Response {
        try state.withLock { state in
            if format == .json { state.buffer.append(contentsOf: "]}".utf8) }
            try state.file.write(contentsOf: state.buffer)
            state.buffer = []
            try state.file.close()
        }
        return try FileResponse.make(url, headers: [.contentType: format.contentType], keeping: self)
    }

    /// Adds to the buffer (JSON rows separated by commas) and writes it out past 64 KiB.
    private func append(isRow: Bool, _ body: (inout [UInt8]) -> Void) throws {
        try state.withLock { state in
            if isRow {
                if format == .json, state.rowCount > 0 { state.buffer.append(UInt8(ascii: ",")) }
                state.rowCount += 1
            }
            body(&state.buffer)
            if state.buffer.count >= 64 << 10 {
                try state.file.write(contentsOf: state.buffer)
                state.buffer.removeAll(keepingCapacity: true)
            }
        }
    }
}
