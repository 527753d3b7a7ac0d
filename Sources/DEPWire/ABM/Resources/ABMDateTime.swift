#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A time stamp of the ABM API: ISO 8601 in UTC with milliseconds, `2026-03-02T09:15:27.410Z`
/// (peers §5.5). Decoding takes any RFC 3339 form `DEPDate.parse` takes (Apple's own examples
/// also write `2026-02-27T00:00:00Z`), keeping the fraction.
public struct ABMDateTime: Codable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var date: Date

    public init(_ date: Date) { self.date = date }

    /// `date` as `YYYY-MM-DDTHH:MM:SS.mmmZ`, rounded to the millisecond.
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = milliseconds / 1000
        var fraction = milliseconds % 1000
        if fraction < 0 {
            seconds -= 1
            fraction += 1000
        }
        let whole = DEPDate.format(Date(timeIntervalSince1970: TimeInterval(seconds)))
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// The date `text` names, or `nil` when it is no RFC 3339 date-time.
    public static func parse(_ text: some StringProtocol) -> Date? { DEPDate.parse(text) }

    public var description: String { Self.format(date) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = Self.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
        }
        self.date = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Self.format(date))
    }

    public static func < (lhs: ABMDateTime, rhs: ABMDateTime) -> Bool { lhs.date < rhs.date }
}
