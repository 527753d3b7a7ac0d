import Foundation
import Synchronization

/// The devices in Apple's cooldown after an assignment change, and when each one's ends
/// (dep-api §3.3, §3.8; fleet #45590). Until it ends, assigning the device a profile answers
/// `THROTTLED`, and fetch and sync leave it out without a `deleted`. Kept in memory, as fault
/// rules are: a reset or a restart ends every cooldown.
final class DeviceCooldowns: Sendable {
    private let ends = Mutex<[String: Date]>([:])

    /// Puts `serials` in a cooldown that ends at `end`, in place of any they were in.
    func start(_ serials: some Sequence<String>, until end: Date) {
        ends.withLock { ends in for serial in serials { ends[serial] = end } }
    }

    /// Ends the cooldown of `serial`, if it is in one.
    func end(_ serial: String) {
        _ = ends.withLock { $0.removeValue(forKey: serial) }
    }

    /// The devices in a cooldown at `now`, each with when it ends; those over are forgotten.
    func active(at now: Date) -> [String: Date] {
        ends.withLock { ends in
            guard !ends.isEmpty else { return [:] }
            ends = ends.filter { $0.value > now }
            return ends
        }
    }

    /// Whole seconds from `now` until `end`, at least one: what `retry_after_seconds` says.
    static func secondsLeft(until end: Date, at now: Date) -> Int {
        max(1, Int(end.timeIntervalSince(now).rounded(.up)))
    }
}
