import DEPWire
import Foundation

/// Where a world's business time stands against its base clock: running at an offset from it,
/// or frozen at one instant. A value, checked and moved without I/O; `WorldClock` holds the
/// current one.
///
/// Business time only moves forward: every change here refuses to go back, and refuses to go
/// past the last instant an RFC 3339 date can name.
struct ClockState: Hashable, Sendable {
    /// Business time minus base time, while running.
    var offset: TimeInterval = 0
    /// The business time held while frozen; `nil` while running.
    var frozenAt: Date?

    /// 9999-12-31T23:59:59Z: the last time `DEPDate` writes.
    static let latest = Date(unixSeconds: 253_402_300_799)

    /// Business time when the base clock reads `base`.
    func now(base: Date) -> Date { frozenAt ?? base.addingTimeInterval(offset) }

    var isFrozen: Bool { frozenAt != nil }

    /// Moves business time forward by `seconds`; frozen, it stays frozen at the later instant.
    mutating func advance(by seconds: TimeInterval, base: Date) throws {
        guard seconds.isFinite, seconds >= 0 else {
            throw PortalError(
                .clockBackwards, "A world's clock only moves forward: advance it by zero seconds or more.")
        }
        try move(to: now(base: base).addingTimeInterval(seconds), base: base)
    }

    /// Moves business time to `date`, which must not be before now at whole-second precision
    /// (the precision of every date the world keeps and answers); within the current second, the
    /// later of the two is kept.
    mutating func set(to date: Date, base: Date) throws {
        let current = now(base: base)
        guard date.unixSeconds >= current.unixSeconds else {
            throw PortalError(
                .clockBackwards,
                "A world's clock only moves forward: \(DEPDate.format(date)) is before its time, "
                    + "\(DEPDate.format(current)).")
        }
        try move(to: max(date, current), base: base)
    }

    /// Holds business time where it is.
    mutating func freeze(base: Date) {
        frozenAt = now(base: base)
    }

    /// Lets business time run again from where it was held.
    mutating func unfreeze(base: Date) {
        guard let frozenAt else { return }
        offset = frozenAt.timeIntervalSince(base)
        self.frozenAt = nil
    }

    private mutating func move(to date: Date, base: Date) throws {
        guard date <= Self.latest else {
            throw PortalError(
                .invalidRequest,
                "A world's clock cannot go past \(DEPDate.format(Self.latest)), the last time a date on the wire can name."
            )
        }
        if frozenAt != nil { frozenAt = date } else { offset = date.timeIntervalSince(base) }
    }
}

extension PortalError.Code {
    /// A clock change that would take a world's time back.
    public static let clockBackwards = Self(rawValue: "CLOCK_BACKWARDS")
    /// A duration that is not ISO 8601 or a number of seconds, or one too long.
    public static let invalidDuration = Self(rawValue: "INVALID_DURATION")
}
