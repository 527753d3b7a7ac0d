public import Foundation

/// Where delivery to one target stands.
public struct TargetDelivery: Sendable, Hashable {
    public var target: EventTargetName
    /// The place of the last event the target has had (or that went to its dead letters).
    public var deliveredThrough: Int64
    /// Failed tries of the next event.
    public var attempts: Int
    /// Of those, the tries the target refused (a 4xx answer, a command's failure): they count
    /// towards the dead letters, the network's failures do not.
    public var refusals: Int
    /// When the next event is to be tried again, after a failure.
    public var nextAttempt: Date?
    /// Why the last try failed.
    public var lastError: String?
    public var lastDeliveredID: String?
    public var lastDelivered: Date?
    /// Events the target has yet to have.
    public var pending: Int
    /// The target's dead letters.
    public var failed: Int
}

/// An event a target refused too many times, kept apart so it holds back no later event.
public struct DeadLetter: Sendable, Hashable {
    public var target: EventTargetName
    public var event: OutboxEvent
    public var attempts: Int
    public var lastError: String
    public var failedAt: Date
}

/// What `depsync status` shows of the outbox.
public struct OutboxStatus: Sendable, Hashable {
    /// Events stored, waiting for at least one target.
    public var stored = 0
    public var targets: [TargetDelivery] = []
}
