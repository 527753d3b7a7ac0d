public import Foundation
import Synchronization

/// Where the world's time comes from; domain code never calls `Date()` (ARCHITECTURE.md).
public protocol TimeSource: Sendable {
    /// The current time.
    var now: Date { get }
}

/// The machine's clock.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that tests set and move.
public final class ManualTimeSource: TimeSource {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    public var now: Date { current.withLock { $0 } }

    /// Moves the clock forward by `interval` seconds.
    public func advance(by interval: TimeInterval) { current.withLock { $0 += interval } }

    /// Sets the clock to `date`.
    public func set(_ date: Date) { current.withLock { $0 = date } }
}
