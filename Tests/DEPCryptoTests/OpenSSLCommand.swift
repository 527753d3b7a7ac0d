import DEPTestSupport
import Foundation

/// Runs the `openssl` command line tool in `directory` and returns what it wrote to stdout;
/// throws `ChildProcessFailure` unless it succeeds.
@discardableResult
func openssl(_ arguments: [String], in directory: URL) async throws -> Data {
    try await ChildProcess.openssl(arguments, in: directory).output
}

/// Runs `openssl` and returns its stdout as text.
func opensslText(_ arguments: [String], in directory: URL) async throws -> String {
    try await ChildProcess.openssl(arguments, in: directory).standardOutput
}
