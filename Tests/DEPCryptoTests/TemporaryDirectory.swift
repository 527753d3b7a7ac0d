import DEPTestSupport
import Foundation

/// Runs `body` with a fresh, empty directory that is removed afterwards.
func withTemporaryDirectory<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
    try await ScratchDirectory.with(body)
}
