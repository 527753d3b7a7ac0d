public import Foundation

/// A command line program run to completion by a test (`openssl`, `fakedep`).
///
/// Waits on the termination handler instead of blocking a cooperative thread; output goes to
/// files so a chatty program cannot fill a pipe and stall.
public struct ChildProcess {
    /// How a run ended and what it printed.
    public struct Outcome: Sendable, CustomStringConvertible {
        public var status: Int32
        /// What the program wrote to stdout, as bytes (some write binary, DER for example).
        public var output: Data
        public var standardError: String

        /// What the program wrote to stdout, as text.
        public var standardOutput: String { String(decoding: output, as: UTF8.self) }

        public var description: String { "exit \(status)\nstdout: \(standardOutput)\nstderr: \(standardError)" }
    }

    /// Runs `executable` with `arguments` in `directory` to completion, with proxies unset so
    /// loopback calls stay local.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL) async throws -> Outcome {
        try await start(executable, arguments, in: directory).outcome()
    }

    /// Starts `executable`; the caller waits for it (`outcome()`) and may signal it first.
    public static func start(_ executable: URL, _ arguments: [String], in directory: URL) throws -> Running {
        let name = UUID().uuidString
        let outputFile = directory.appendingPathComponent(".\(name).stdout")
        let errorFile = directory.appendingPathComponent(".\(name).stderr")
        try Data().write(to: outputFile)
        try Data().write(to: errorFile)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
            .merging(["NO_PROXY": "*", "no_proxy": "*"]) { $1 }
        process.standardInput = FileHandle.nullDevice
        let outputHandle = try FileHandle(forWritingTo: outputFile)
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        let running = Running(process: process, outputFile: outputFile, errorFile: errorFile)
        process.terminationHandler = { finished in
            try? outputHandle.close()
            try? errorHandle.close()
            running.finished(finished.terminationStatus)
        }
        try process.run()
        return running
    }

    /// A started program.
    public final class Running: @unchecked Sendable {
        private let process: Process
        private let outputFile: URL
        private let errorFile: URL
        private let lock = NSLock()
        private var status: Int32?
        private var waiters: [CheckedContinuation<Int32, Never>] = []

        fileprivate init(process: Process, outputFile: URL, errorFile: URL) {
            self.process = process
            self.outputFile = outputFile
            self.errorFile = errorFile
        }

        /// Sends `signal` (SIGKILL, SIGTERM…) to the program.
        public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

        /// The program's process id.
        public var processIdentifier: Int32 { process.processIdentifier }

        /// Waits for the program to end and returns how it ended and what it printed.
        public func outcome() async throws -> Outcome {
            let status: Int32 = await withCheckedContinuation { continuation in
                lock.withLock {
                    if let ended = self.status {
                        continuation.resume(returning: ended)
                    } else {
                        waiters.append(continuation)
                    }
                }
            }
            defer {
                try? FileManager.default.removeItem(at: outputFile)
                try? FileManager.default.removeItem(at: errorFile)
            }
            return Outcome(
                status: status, output: try Data(contentsOf: outputFile),
                standardError: try String(contentsOf: errorFile, encoding: .utf8))
        }

        fileprivate func finished(_ status: Int32) {
            let waiting = lock.withLock {
                self.status = status
                defer { waiters = [] }
                return waiters
            }
            for waiter in waiting { waiter.resume(returning: status) }
        }
    }

    /// Runs the `openssl` command in `directory`; throws unless it succeeds.
    @discardableResult
    public static func openssl(_ arguments: [String], in directory: URL) async throws -> Outcome {
        let outcome = try await run(URL(fileURLWithPath: "/usr/bin/env"), ["openssl"] + arguments, in: directory)
        guard outcome.status == 0 else { throw ChildProcessFailure(outcome: outcome) }
        return outcome
    }
}

/// A program that exited non-zero where a test needed it to succeed.
public struct ChildProcessFailure: Error, CustomStringConvertible {
    public let outcome: ChildProcess.Outcome
    public var description: String { "the program failed: \(outcome)" }
}

/// A fresh, empty directory for one test, removed afterwards; tests run in parallel.
public enum ScratchDirectory {
    public static func with<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("FakeDEPTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }
}
