import DEPWire
import Foundation

/// The service's own time, read from its answers: the audit log is stamped by that clock, and
/// a fakedep world's clock may be virtual, hours or months away from ours.
///
/// fakedep states its world's time in `X-FakeDEP-Now`; any HTTP server states its own in
/// `Date` (RFC 9110 §6.6.1, whole seconds). Between answers the service's clock is taken to run
/// as ours does.
struct ServiceClock: Sendable {
    /// The service's time at the latest answer that said it, and ours then.
    private var reading: (service: Date, local: Date)?

    /// Whether an answer has said the service's time yet.
    var isKnown: Bool { reading != nil }

    /// Takes the time `response` states, received at `local`.
    mutating func observe(_ response: HTTPResponse, at local: Date) {
        if let stated = Self.time(of: response) { reading = (stated, local) }
    }

    /// The service's time now; ours when no answer has said it.
    func now(local: Date) -> Date {
        guard let reading else { return local }
        return reading.service.addingTimeInterval(local.timeIntervalSince(reading.local))
    }

    /// The time an answer states: fakedep's world time, else its `Date`.
    static func time(of response: HTTPResponse) -> Date? {
        if let world = response.header("X-FakeDEP-Now"), let date = ABMDateTime.parse(world) { return date }
        guard let date = response.header("Date") else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: date)
    }
}
