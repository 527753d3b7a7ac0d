public import FakeDEPServer
public import Foundation

/// A world's business time, as `/_fakedep/worlds/{id}/clock` moves it: what ages cursors,
/// expires tokens, ends sessions and provisional periods, and dates what the world answers. It
/// only moves forward; each move answers what fell due on the way.
public struct FakeClock: Sendable {
    let worldID: String
    let worlds: WorldRegistry

    /// Business time now.
    public var now: Date {
        get throws { try reading.now }
    }

    /// What the clock reads: business time, its offset from real time, whether it is frozen.
    public var reading: ClockReading {
        get throws { try worlds.world(worldID).clockReading() }
    }

    /// Moves business time forward by `duration`; a negative one changes nothing and throws.
    @discardableResult
    public func advance(by duration: Duration) async throws -> ClockAdvance {
        try await worlds.world(worldID).advanceClock(by: duration.timeInterval)
    }

    /// Moves business time forward to `date`; a date before it changes nothing and throws.
    @discardableResult
    public func set(to date: Date) async throws -> ClockAdvance {
        try await worlds.world(worldID).setClock(to: date)
    }

    /// Holds business time where it is until `unfreeze()`; `advance` and `set` still move it.
    @discardableResult
    public func freeze() async throws -> ClockReading {
        try await worlds.world(worldID).freezeClock()
    }

    /// Lets business time run again from where it was held.
    @discardableResult
    public func unfreeze() async throws -> ClockReading {
        try await worlds.world(worldID).unfreezeClock()
    }
}
