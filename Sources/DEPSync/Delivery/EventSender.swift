/// How one try to hand an event to a target ended.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The target has the event.
    case delivered
    /// The target does not have it. `refused` when the target answered that it will not take
    /// it (counts towards the dead letters); `retryAfter` is the wait it asked for, in seconds.
    case failed(reason: String, refused: Bool, retryAfter: Double?)
}

/// Hands events to one target.
public protocol EventSender: Sendable {
    var target: EventTargetName { get }
    /// Tries once to hand over `event`.
    func send(_ event: OutboxEvent) async -> DeliveryOutcome
}
