import Foundation

/// One run of a shell command with a file as its standard input, waited for without holding a
/// thread of the cooperative pool, and killed when it outlives its timeout.
enum CommandRun {
    enum Ending: Sendable, Hashable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
    }

    /// Runs `command` with `/bin/sh -c`, `input` on its standard input and its output on the
    /// agent's standard error (the agent's standard output is its own: `events` prints there).
    static func run(_ command: String, input: Data, timeout: Double, environment: [String: String]) async throws
        -> Ending
    {
        // A file, not a pipe: a command that reads only part of its input, or none, cannot
        // block the agent or end it with SIGPIPE.
        let inputFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "depsync-event-\(UUID().uuidString).json")
        try input.write(to: inputFile)
        defer { try? FileManager.default.removeItem(at: inputFile) }
        let inputHandle = try FileHandle(forReadingFrom: inputFile)
        defer { try? inputHandle.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = inputHandle
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        let running = RunningCommand(process)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                running.onEnd { continuation.resume(returning: $0) }
                do {
                    try process.run()
                } catch {
                    running.abandon()
                    continuation.resume(throwing: error)
                    return
                }
                running.killAfter(timeout)
            }
        } onCancel: {
            running.kill()
        }
    }
}

/// A started command and how it ended; the lock guards against the end and the timeout racing.
private final class RunningCommand: @unchecked Sendable {
    private let process: Process
    private let lock = NSLock()
    private var timedOut = false
    private var ended = false

    init(_ process: Process) {
        self.process = process
    }

    func onEnd(_ handler: @escaping @Sendable (CommandRun.Ending) -> Void) {
        process.terminationHandler = { [self] process in
            let ending: CommandRun.Ending = lock.withLock {
                ended = true
                if timedOut { return .timedOut }
                return process.terminationReason == .uncaughtSignal
                    ? .signalled(process.terminationStatus) : .exited(process.terminationStatus)
            }
            handler(ending)
        }
    }

    /// Forgets the end handler of a command that never started.
    func abandon() {
        process.terminationHandler = nil
    }

    func killAfter(_ seconds: Double) {
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
            let running = lock.withLock {
                guard !ended else { return false }
                timedOut = true
                return true
            }
            if running { Foundation.kill(process.processIdentifier, SIGKILL) }
        }
    }

    func kill() {
        let running = lock.withLock { !ended }
        if running, process.processIdentifier > 0 { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}
