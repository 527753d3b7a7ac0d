import DEPTestSupport
import Foundation

/// A program run to completion with its peak memory measured: `ru_maxrss` from `wait4` on it.
///
/// The `wait4` is not the test process's own: Linux hands a program started from a large process
/// that process's high-water mark (at `exec`, the `ru_maxrss` of the new program is at least the
/// peak of the memory it replaces, and a spawned child starts with its parent's memory). A small
/// Python parent therefore starts the program and reaps it, so that what it reads is the
/// program's own peak (plus Python's few megabytes at most).
enum MeasuredProcess {
    /// How a run ended, what it printed and the most memory it held.
    struct Outcome: Sendable, CustomStringConvertible {
        /// The exit status, or 128 plus the signal that ended it.
        var status: Int32
        var standardOutput: String
        var standardError: String
        /// The peak resident set size, in bytes.
        var peakMemory: Int

        var description: String {
            "exit \(status), peak \(peakMemory >> 20) MiB\nstdout: \(standardOutput)\nstderr: \(standardError)"
        }
    }

    /// Forks, execs the program with its arguments, reaps it with `wait4` and writes its
    /// `ru_maxrss` (kilobytes on Linux) to the report file; exits as the program did.
    private static let parent = """
        import os, sys
        report, argv = sys.argv[1], sys.argv[2:]
        pid = os.fork()
        if pid == 0:
            os.execv(argv[0], argv)
        _, status, usage = os.wait4(pid, 0)
        with open(report, "w") as file:
            file.write(str(usage.ru_maxrss))
        sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
        """

    /// Runs `executable` with `arguments` in `directory` (proxies unset so loopback calls stay
    /// local) and measures it.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL) async throws -> Outcome {
        let report = directory.appendingPathComponent(".\(UUID().uuidString).maxrss")
        defer { try? FileManager.default.removeItem(at: report) }
        let outcome = try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", parent, report.path, executable.path] + arguments,
            in: directory)
        let kilobytes = try Int(String(contentsOf: report, encoding: .utf8)) ?? 0
        return Outcome(
            status: outcome.status, standardOutput: outcome.standardOutput, standardError: outcome.standardError,
            peakMemory: kilobytes * 1024)
    }
}
