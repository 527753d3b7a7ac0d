/// How events are retried: exponential backoff with full jitter, never sooner than a receiver's
/// `Retry-After`, and a bound on refusals after which an event goes to the dead letters.
public struct DeliveryPolicy: Sendable {
    /// Refusals of one event (a 4xx answer other than 408 and 429, a command's failure) after
    /// which it moves to the dead letters so that later events are not held back. A receiver
    /// that is down, slow or busy (no answer, 5xx, 408, 429) is retried without bound: an outage
    /// must not empty the outbox into the dead letters.
    public var maxRefusals = 5
    /// The backoff between tries; its attempt count is not used (delivery retries until the
    /// event is delivered or dead).
    public var retry: RetryPolicy
    /// Events sent before their delivery is noted in the store.
    public var eventsPerNote = 64
    /// Seconds after which events sent are noted as delivered even if fewer than a batch, so
    /// that `depsync status` and a restart after a crash are at most this far behind.
    public var noteInterval = 0.5

    public init() {
        retry = RetryPolicy()
        retry.maxAttempts = .max
        retry.baseDelay = 1
        retry.maxDelay = 300
        retry.maxRetryAfter = RetryPolicy.longestRetryAfter
    }

    /// Seconds to wait after the `failures`-th failed try of an event; `jitter` is uniform in 0...1.
    public func delay(afterFailures failures: Int, retryAfter: Double?, jitter: Double) -> Double {
        retry.delay(after: max(1, failures), retryAfter: retryAfter, jitter: jitter) ?? retry.maxDelay
    }
}
