import DEPWire
public import Foundation
import GRDB

/// A device's cooldown, as the portal answers it.
public struct DeviceCooldown: Codable, Sendable, Hashable {
    public var serialNumber: String
    /// World time when it ends.
    public var cooldownUntil: Date
    /// Whole seconds until then, as an assignment's `retry_after_seconds` gives them.
    public var retryAfterSeconds: Int

    enum CodingKeys: String, CodingKey {
        case serialNumber = "serial_number", cooldownUntil = "cooldown_until"
        case retryAfterSeconds = "retry_after_seconds"
    }
}

extension World {
    /// How long a cooldown lasts when the portal is not told: a day, as Apple advised fleet to
    /// wait (dep-api §3.8).
    public static let defaultCooldown: TimeInterval = 86_400
    /// The longest cooldown the portal sets.
    static let maximumCooldown: TimeInterval = 366 * 86_400

    /// Puts a device in Apple's cooldown after an assignment change for `duration` seconds of
    /// world time, as Apple does on its own (dep-api §3.3, §3.8; fleet #45590): assigning it a
    /// profile answers `THROTTLED` (with the seconds left as `retry_after_seconds` from v10), and
    /// fetch and sync leave it out, without a `deleted`, until the cooldown ends. A device
    /// already in one starts again. 404 for an unknown serial.
    public func startCooldown(_ text: String, for duration: TimeInterval = defaultCooldown) async throws
        -> DeviceCooldown
    {
        let serial = try Self.requireSerial(text, "A serial number")
        guard duration.isFinite, duration > 0, duration <= Self.maximumCooldown else {
            throw PortalError(
                .invalidRequest,
                "A cooldown lasts longer than zero and at most 366 days (P366D), not \(duration) seconds.")
        }
        _ = try await store.read { db in try requireDevice(serial, db) }
        let now = clock.now
        let end = now.addingTimeInterval(duration)
        cooldowns.start([serial], until: end)
        return DeviceCooldown(
            serialNumber: serial, cooldownUntil: end,
            retryAfterSeconds: DeviceCooldowns.secondsLeft(until: end, at: now))
    }

    /// Ends a device's cooldown at once; ending one it is not in does nothing. 404 for an unknown
    /// serial.
    public func endCooldown(_ text: String) async throws {
        let serial = try Self.requireSerial(text, "A serial number")
        _ = try await store.read { db in try Self.organisationDevice(serial, db) }
        cooldowns.end(serial)
    }
}
