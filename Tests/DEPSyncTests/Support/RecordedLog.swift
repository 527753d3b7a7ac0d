import Foundation
import Logging

/// The messages logged through its `logger`, for tests that check what depsync warns about.
final class RecordedLog: Sendable {
    private let lines = LockedLines()

    /// A logger that records into this log, at every level from `trace`.
    var logger: Logger {
        Logger(label: "depsync-test") { [lines] _ in RecordingHandler(lines: lines) }
    }

    /// The messages logged at `level`, in order.
    func messages(at level: Logger.Level) -> [String] {
        lines.all.filter { $0.level == level }.map(\.message)
    }
}

private final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [(level: Logger.Level, message: String)] = []

    func append(_ level: Logger.Level, _ message: String) { lock.withLock { lines.append((level, message)) } }
    var all: [(level: Logger.Level, message: String)] { lock.withLock { lines } }
}

private struct RecordingHandler: LogHandler {
    let lines: LockedLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(event.level, event.message.description)
    }
}
