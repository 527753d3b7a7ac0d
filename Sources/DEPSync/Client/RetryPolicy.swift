public import Foundation

/// When to try a transient failure again: exponential backoff with full jitter, and never sooner
/// than the service's `Retry-After`.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts = 5
    /// The backoff ceiling of the first retry, in seconds; it doubles with each further retry.
    public var baseDelay: Double = 1
    /// No backoff ceiling grows beyond this.
    public var maxDelay: Double = 60
    /// A `Retry-After` longer than this is not waited for: the call fails and says so.
    public var maxRetryAfter: Double = 300

    /// The longest wait a `Retry-After` is taken to ask for: an hour. A longer one (`inf`,
    /// `1e19`, a date in the year 9999) is read as this, so every wait stays a sane number.
    public static let longestRetryAfter: Double = 3600

    public init() {}

    /// A policy that never retries.
    public static var never: RetryPolicy {
        var policy = RetryPolicy()
        policy.maxAttempts = 1
        return policy
    }

    /// Seconds to wait before attempt `attempt + 1` after attempt `attempt` (1-based) failed,
    /// or `nil` to give up. `jitter` is uniform in 0...1.
    public func delay(after attempt: Int, retryAfter: Double?, jitter: Double) -> Double? {
        guard attempt < maxAttempts else { return nil }
        if let retryAfter, retryAfter > maxRetryAfter { return nil }
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        return max(retryAfter ?? 0, ceiling * jitter)
    }

    /// Reads a `Retry-After` header, at most `longestRetryAfter`; `nil` when it is absent or
    /// says nothing usable (negative, NaN, text).
    public static func retryAfterSeconds(_ header: String?, now: Date) -> Double? {
        requestedWait(header, now: now).map { min($0, longestRetryAfter) }
    }

    /// The wait a `Retry-After` header asks for, unclamped (possibly infinite): delay seconds or
    /// an HTTP date (RFC 9110 §10.2.3); a date in the past asks for no wait.
    static func requestedWait(_ header: String?, now: Date) -> Double? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text) {
            // NaN fails the comparison; a negative delay is no delay Apple could mean.
            return seconds >= 0 ? seconds : nil
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
