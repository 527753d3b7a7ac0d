import DEPWire
import Foundation
import Logging

/// A failure a retry loop can judge: whether trying again may help, and how long the service
/// asked to wait first.
public protocol RetriableError: Error, CustomStringConvertible {
    var isTransient: Bool { get }
    /// Seconds the service asked to wait (`Retry-After`), if it did.
    var retryAfter: Double? { get }
    /// The failure when the wait before a retry is cancelled.
    static var cancelled: Self { get }
}

/// Runs a call again while it fails transiently, as `policy` says, and reads `Retry-After` the
/// same way for every client of Apple's services (DEP and ABM alike).
struct Retrier: Sendable {
    let policy: RetryPolicy
    let now: @Sendable () -> Date
    let sleep: @Sendable (Double) async throws -> Void
    let jitter: @Sendable () -> Double
    let logger: Logger

    /// Runs `attempt` until it succeeds, fails for good, or the policy gives up; each wait is
    /// said in one log line. It runs on the caller's actor, so `attempt` may use its state.
    func run<T, Failure: RetriableError>(
        isolation: isolated (any Actor)? = #isolation, _ attempt: () async throws(Failure) -> T
    ) async throws(Failure) -> T {
        var number = 1
        while true {
            do {
                return try await attempt()
            } catch  where error.isTransient {
                guard let delay = policy.delay(after: number, retryAfter: error.retryAfter, jitter: jitter())
                else { throw error }
                logger.info("\(error); trying again in \(Int(delay.rounded(.up))) s")
                do { try await sleep(delay) } catch { throw Failure.cancelled }
                number += 1
            }
        }
    }

    /// The answer's `Retry-After`, at most `RetryPolicy.longestRetryAfter`; a longer one is
    /// said in one warning line, since the service meant something the client will not do.
    func retryAfter(_ response: HTTPResponse) -> Double? {
        let header = response.header("Retry-After")
        guard let requested = RetryPolicy.requestedWait(header, now: now()) else { return nil }
        let longest = RetryPolicy.longestRetryAfter
        if requested > longest {
            let shown = String((header ?? "").prefix(64)).escapingControlCharacters
            logger.warning(
                "the service asked to wait \(shown) (Retry-After); depsync takes it as \(Int(longest)) s, its longest wait"
            )
        }
        return min(requested, longest)
    }
}
