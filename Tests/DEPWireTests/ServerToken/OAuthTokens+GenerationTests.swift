import Testing

@testable import DEPWire

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// New tokens shaped like Apple's and their one-year expiry (dep-api §1.3, §1.6).
struct OAuthTokensGenerationTests {
    static let issuedAt = DEPDate.parse("2025-01-17T11:02:21.803Z")!

    @Test func valuesHaveApplesShapes() {
        var generator = SplitMix64(seed: 1)
        let tokens = OAuthTokens.generate(issuedAt: Self.issuedAt, using: &generator)
        #expect(tokens.consumerKey.wholeMatch(of: #/CK_[0-9a-f]{96}/#) != nil)
        #expect(tokens.consumerSecret.wholeMatch(of: #/CS_[0-9a-f]{40}/#) != nil)
        #expect(tokens.accessToken.wholeMatch(of: #/AT_O[1-9][0-9]{9}O[0-9a-f]{40}O1737111741803/#) != nil)
        #expect(tokens.accessToken.count == 69)
        #expect(tokens.accessSecret.wholeMatch(of: #/AS_[0-9a-f]{40}/#) != nil)
        #expect(DEPDate.format(tokens.accessTokenExpiry) == "2026-01-17T11:02:21Z")
    }

    @Test func theSameSeedGivesTheSameTokens() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        var other = SplitMix64(seed: 43)
        let tokens = OAuthTokens.generate(issuedAt: Self.issuedAt, using: &first)
        #expect(tokens == OAuthTokens.generate(issuedAt: Self.issuedAt, using: &second))
        #expect(tokens != OAuthTokens.generate(issuedAt: Self.issuedAt, using: &other))
    }

    @Test func theFourSecretsDifferFromEachOther() {
        var generator = SplitMix64(seed: 7)
        let tokens = OAuthTokens.generate(issuedAt: Self.issuedAt, using: &generator)
        #expect(tokens.consumerSecret.dropFirst(3) != tokens.accessSecret.dropFirst(3))
    }

    @Test func generatedTokensMakeA498ByteMessageThatReadsBack() throws {
        var generator = SystemRandomNumberGenerator()
        let tokens = OAuthTokens.generate(issuedAt: Self.issuedAt, using: &generator)
        let message = TokenMessage.build(tokens)
        #expect(message.utf8.count == 498)
        #expect(try TokenMessage.parse(message) == tokens)
    }

    @Test(arguments: [
        ("2025-01-17T11:02:21.803Z", "2026-01-17T11:02:21Z"),
        ("2022-07-01T22:18:53Z", "2023-07-01T22:18:53Z"),
        ("2024-02-29T12:00:00Z", "2025-02-28T12:00:00Z"),
        ("2028-02-29T00:00:00Z", "2029-02-28T00:00:00Z"),
        ("2023-02-28T23:59:59Z", "2024-02-28T23:59:59Z"),
        ("2023-03-01T00:00:00Z", "2024-03-01T00:00:00Z"),
        ("2023-12-31T23:59:59Z", "2024-12-31T23:59:59Z"),
        ("2099-02-28T08:00:00+02:00", "2100-02-28T06:00:00Z"),
    ])
    func expiryIsOneCalendarYearLaterInUTC(issued: String, expiry: String) {
        #expect(DEPDate.format(OAuthTokens.expiry(issuedAt: DEPDate.parse(issued)!)) == expiry)
    }

    @Test func expiryHasWholeSeconds() {
        let expiry = OAuthTokens.expiry(issuedAt: Self.issuedAt)
        #expect(expiry.timeIntervalSince1970 == expiry.timeIntervalSince1970.rounded(.down))
    }
}

/// A seeded generator (SplitMix64), so generated tokens are reproducible in tests.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
