public import Foundation
import Synchronization

/// A world's business time: its base clock (the machine's in production, the test's
/// `ManualTimeSource` in tests) moved forward by an offset, or held frozen (issue 10). Each world
/// has its own, so moving one world's time moves no other's.
///
/// Business time is Apple's: cursor age, token expiry, session idle time, the Configurator
/// provisional period, and every date the world stores or answers. Protocol time stays on
/// `base`: the OAuth timestamp window and the nonce cache check a client's signature against
/// real time, so a client whose clock is real still signs in after the world moved a year on.
public final class WorldClock: TimeSource {
    /// Real time, for the protocol's checks.
    let base: any TimeSource
    private let state: Mutex<ClockState>

    init(base: any TimeSource, state: ClockState = ClockState()) {
        self.base = base
        self.state = Mutex(state)
    }

    /// Business time now.
    public var now: Date {
        let base = base.now
        return state.withLock { $0.now(base: base) }
    }

    /// What the clock reads now.
    var reading: ClockReading {
        let base = base.now
        return state.withLock { state in
            let offset = state.frozenAt.map { $0.timeIntervalSince(base) } ?? state.offset
            return ClockReading(
                now: state.now(base: base), offsetSeconds: (offset * 1000).rounded() / 1000, frozen: state.isFrozen)
        }
    }

    /// Applies `change` to the clock as one step: it sees the state and the base time, and may
    /// throw to leave the clock as it was. Other readers wait for the step to end, so `change`
    /// may also record the new state (in the world's store) before it takes effect.
    func update<T: Sendable>(_ change: (inout ClockState, _ base: Date) throws -> T) throws -> T {
        let base = base.now
        return try state.withLock { state in
            var proposed = state
            let result = try change(&proposed, base)
            state = proposed
            return result
        }
    }
}

/// What a world's clock reads, as `GET /_fakedep/worlds/{id}/clock` answers it.
public struct ClockReading: Codable, Sendable, Hashable {
    /// Business time.
    public var now: Date
    /// Business time minus real time, to the millisecond.
    public var offsetSeconds: TimeInterval
    public var frozen: Bool

    public init(now: Date, offsetSeconds: TimeInterval, frozen: Bool) {
        self.now = now
        self.offsetSeconds = offsetSeconds
        self.frozen = frozen
    }

    enum CodingKeys: String, CodingKey {
        case now, offsetSeconds = "offset_seconds", frozen
    }
}
