public import Foundation

/// A `fakedep serve` run as the built binary on a free port, for tests of what only the
/// executable does (its flags, HTTPS): started with the arguments given, and known by the URL
/// it writes to its ready file.
public struct ServedFakeDEP: Sendable {
    /// The URL it printed, `http://` or `https://`.
    public let url: String
    public let process: ChildProcess.Running

    /// Starts `fakedep serve --port 0 --ready-file … arguments` in `directory` and waits (up to a
    /// minute on a loaded machine) until it listens.
    public static func start(_ arguments: [String], in directory: URL) async throws -> ServedFakeDEP {
        guard let binary = BuiltBinary.url("fakedep") else { throw Failure(description: "fakedep is not built") }
        let ready = directory.appendingPathComponent("ready-\(UUID().uuidString)")
        let process = try ChildProcess.start(
            binary, ["serve", "--port", "0", "--ready-file", ready.path, "--log-level", "warning"] + arguments,
            in: directory)
        for _ in 0..<600 {
            let url = (try? String(contentsOf: ready, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let url, !url.isEmpty { return ServedFakeDEP(url: url, process: process) }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.send(SIGKILL)
        throw Failure(description: "fakedep did not listen within a minute: \(try await process.outcome())")
    }

    /// Runs `body` against a server started with `arguments`, and stops it (SIGTERM) after.
    public static func with<T>(
        _ arguments: [String], in directory: URL, _ body: (ServedFakeDEP) async throws -> T
    ) async throws -> T {
        let served = try await start(arguments, in: directory)
        do {
            let result = try await body(served)
            _ = await served.stop()
            return result
        } catch {
            _ = await served.stop()
            throw error
        }
    }

    /// Stops it and returns how it ended.
    @discardableResult
    public func stop() async -> ChildProcess.Outcome? {
        process.send(SIGTERM)
        return try? await process.outcome()
    }

    /// The port it listens on.
    public var port: Int { Int(url.split(separator: ":").last ?? "") ?? 0 }

    /// Why it could not be started.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }
}
