#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

extension OAuthTokens {
    /// New tokens shaped like Apple's (dep-api §1.3, §1.6), issued at `issuedAt`:
    ///
    /// - `consumer_key`: `CK_` + 96 lower-case hex digits
    /// - `consumer_secret`: `CS_` + 40 lower-case hex digits
    /// - `access_token`: `AT_O` + 10 digits + `O` + 40 lower-case hex + `O` + the 13-digit
    ///   epoch-milliseconds issuance time (69 characters until the year 2286)
    /// - `access_secret`: `AS_` + 40 lower-case hex digits
    /// - `access_token_expiry`: `expiry(issuedAt:)`
    ///
    /// Randomness comes from `generator`, so tests can pass a seeded one and the server a
    /// `SystemRandomNumberGenerator`.
    public static func generate(issuedAt: Date, using generator: inout some RandomNumberGenerator) -> OAuthTokens {
        let milliseconds = Int64((issuedAt.timeIntervalSince1970 * 1000).rounded(.down))
        let accountDigits = Int64.random(in: 1_000_000_000...9_999_999_999, using: &generator)
        let consumerKey = "CK_" + randomHex(digits: 96, using: &generator)
        let consumerSecret = "CS_" + randomHex(digits: 40, using: &generator)
        let accessToken =
            "AT_O\(accountDigits)O\(randomHex(digits: 40, using: &generator))O\(zeroPadded(milliseconds, to: 13))"
        let accessSecret = "AS_" + randomHex(digits: 40, using: &generator)
        return OAuthTokens(
            consumerKey: consumerKey, consumerSecret: consumerSecret, accessToken: accessToken,
            accessSecret: accessSecret, accessTokenExpiry: expiry(issuedAt: issuedAt))
    }

    /// The expiry of tokens issued at `issuedAt`: exactly one calendar year later in UTC, at
    /// second precision (dep-api §1.3: `2025-01-17T11:02:21.803Z` → `2026-01-17T11:02:21Z`).
    ///
    /// Same month, day and time next year; 29 February becomes 28 February, never 1 March,
    /// so a token never outlives its year.
    public static func expiry(issuedAt: Date) -> Date {
        // DEPDate writes `YYYY-MM-DDTHH:MM:SSZ` (sub-seconds dropped); bump the year in the text.
        let stamp = DEPDate.format(issuedAt)
        if let year = Int(stamp.prefix(4)) {
            let nextYear = year + 1
            let isLeap = (nextYear % 4 == 0 && nextYear % 100 != 0) || nextYear % 400 == 0
            var rest = stamp.dropFirst(4)
            if rest.hasPrefix("-02-29"), !isLeap {
                rest = "-02-28" + rest.dropFirst(6)
            }
            if let date = DEPDate.parse(zeroPadded(Int64(nextYear), to: 4) + rest) {
                return date
            }
        }
        // Only for years RFC 3339 cannot write (before 0000 or after 9998): 365 days instead.
        return Date(timeIntervalSince1970: issuedAt.timeIntervalSince1970.rounded(.down) + 365 * 86_400)
    }

    /// `digits` random lower-case hex digits.
    private static func randomHex(digits: Int, using generator: inout some RandomNumberGenerator) -> String {
        let alphabet = Array("0123456789abcdef")
        return String((0..<digits).map { _ in alphabet[Int.random(in: 0..<16, using: &generator)] })
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    private static func zeroPadded(_ value: Int64, to width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
