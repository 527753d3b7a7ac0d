import Foundation

extension Date {
    /// The date `seconds` after 1970-01-01T00:00:00Z.
    init(unixSeconds seconds: Int64) { self.init(timeIntervalSince1970: TimeInterval(seconds)) }

    /// Whole seconds since 1970, rounded down: the precision the store and Apple's wire keep.
    var unixSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
}
