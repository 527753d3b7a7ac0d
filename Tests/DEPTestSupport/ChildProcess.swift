public import Foundation

/// A command line program run to completion by a test (`openssl`, `fakedep`).
///
/// Started with `posix_spawn` and reaped on a thread of its own, never blocking a cooperative
/// thread (Foundation's `Process` is not used: see `Spawn`); output goes to
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
        let environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
            .merging(["NO_PROXY": "*", "no_proxy": "*"]) { $1 }
        let pid = try Spawn.start(
            executable.path, arguments, environment: environment, directory: directory.path, input: "/dev/null",
            output: outputFile.path, error: errorFile.path)
        return Running(pid: pid, outputFile: outputFile, errorFile: errorFile)
    }

    /// A started program.
    public final class Running: Sendable {
        private let pid: Int32
        private let outputFile: URL
        private let errorFile: URL
        /// Reaps the program once, whoever asks first.
        private let ending: Task<Int32, Never>

        fileprivate init(pid: Int32, outputFile: URL, errorFile: URL) {
            self.pid = pid
            self.outputFile = outputFile
            self.errorFile = errorFile
            ending = Task { await Spawn.wait(for: pid) }
        }

        /// Sends `signal` (SIGKILL, SIGTERM…) to the program.
        public func send(_ signal: Int32) { kill(pid, signal) }

        /// What the program has written to stdout so far, as text.
        public func standardOutputSoFar() -> String {
            (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        }

        /// The program's process id.
        public var processIdentifier: Int32 { pid }

        /// Waits for the program to end and returns how it ended (its exit status, or 128 plus the
        /// signal that ended it) and what it printed.
        public func outcome() async throws -> Outcome {
            let status = await ending.value
            defer {
                try? FileManager.default.removeItem(at: outputFile)
                try? FileManager.default.removeItem(at: errorFile)
            }
            return Outcome(
                status: status, output: try Data(contentsOf: outputFile),
                standardError: try String(contentsOf: errorFile, encoding: .utf8))
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
