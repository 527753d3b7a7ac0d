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

    /// Runs `executable` with `arguments` in `directory`, with proxies unset so loopback calls
    /// stay local.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL) async throws -> Outcome {
        let name = UUID().uuidString
        let outputFile = directory.appendingPathComponent(".\(name).stdout")
        let errorFile = directory.appendingPathComponent(".\(name).stderr")
        try Data().write(to: outputFile)
        try Data().write(to: errorFile)
        defer {
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
            .merging(["NO_PROXY": "*", "no_proxy": "*"]) { $1 }
        process.standardInput = FileHandle.nullDevice
        let outputHandle = try FileHandle(forWritingTo: outputFile)
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        defer {
            try? outputHandle.close()
            try? errorHandle.close()
        }
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Outcome(
            status: status, output: try Data(contentsOf: outputFile),
            standardError: try String(contentsOf: errorFile, encoding: .utf8))
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
