import Testing

@testable import DEPWire

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The five token values and their compact JSON (dep-api §1.2, §1.3).
struct OAuthTokensTests {
    /// Apple-shaped values (synthetic, same lengths as the real token of dep-api §1.3).
    static let sample = OAuthTokens(
        consumerKey: "CK_" + String(repeating: "0123456789abcdef", count: 6),
        consumerSecret: "CS_" + String(repeating: "a1b2c3d4e5", count: 4),
        accessToken: "AT_O2109279022Oe03b641fd6f07d7face7894211d521fd8bef09c3O1737111741803",
        accessSecret: "AS_" + String(repeating: "f6e5d4c3b2", count: 4),
        accessTokenExpiry: DEPDate.parse("2026-01-17T11:02:21Z")!)

    static let sampleJSON =
        #"{"consumer_key":"CK_0123456789abcdef0123456789abcdef0123456789abcdef"#
        + #"0123456789abcdef0123456789abcdef0123456789abcdef","#
        + #""consumer_secret":"CS_a1b2c3d4e5a1b2c3d4e5a1b2c3d4e5a1b2c3d4e5","#
        + #""access_token":"AT_O2109279022Oe03b641fd6f07d7face7894211d521fd8bef09c3O1737111741803","#
        + #""access_secret":"AS_f6e5d4c3b2f6e5d4c3b2f6e5d4c3b2f6e5d4c3b2","#
        + #""access_token_expiry":"2026-01-17T11:02:21Z"}"#

    @Test func compactJSONIsInApplesKeyOrderByteForByte() {
        #expect(Self.sample.compactJSON == Self.sampleJSON)
    }

    @Test func compactJSONEscapesQuotesBackslashesAndControlsButNotSlashes() throws {
        var tokens = Self.sample
        tokens.consumerKey = "a\"b\\c/d\ne\u{1}é"
        #expect(tokens.compactJSON.hasPrefix(#"{"consumer_key":"a\"b\\c/d\ne\u0001é","#))
        #expect(try TokenMessage.decodeTokens(json: Data(tokens.compactJSON.utf8)) == tokens)
    }

    @Test func compactJSONDropsSubSecondExpiry() {
        var tokens = Self.sample
        tokens.accessTokenExpiry = Date(timeIntervalSince1970: 1_768_647_741.803)
        #expect(tokens.compactJSON.hasSuffix(#""access_token_expiry":"2026-01-17T11:02:21Z"}"#))
    }

    @Test func codableRoundTripKeepsEveryValue() throws {
        let data = try JSONEncoder().encode(Self.sample)
        #expect(try JSONDecoder().decode(OAuthTokens.self, from: data) == Self.sample)
    }

    @Test func codableUsesApplesKeyNamesAndDateForm() throws {
        let data = try JSONEncoder().encode(Self.sample)
        let object = try JSONDecoder().decode([String: String].self, from: data)
        #expect(object["access_token_expiry"] == "2026-01-17T11:02:21Z")
        #expect(
            Set(object.keys) == [
                "consumer_key", "consumer_secret", "access_token", "access_secret", "access_token_expiry",
            ])
    }

    @Test func decodingAcceptsFractionalSecondsAndOffsets() throws {
        let json = Self.sampleJSON.replacing("2026-01-17T11:02:21Z", with: "2026-01-17T12:02:21.000+01:00")
        #expect(try JSONDecoder().decode(OAuthTokens.self, from: Data(json.utf8)) == Self.sample)
    }

    @Test func decodingKeepsTheExpiryToTheSecond() throws {
        let json = Self.sampleJSON.replacing("2026-01-17T11:02:21Z", with: "2026-01-17T11:02:21.75Z")
        #expect(try JSONDecoder().decode(OAuthTokens.self, from: Data(json.utf8)) == Self.sample)
    }

    @Test func decodingRejectsAnExpiryThatIsNotADate() {
        let json = Self.sampleJSON.replacing("2026-01-17T11:02:21Z", with: "next year")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(OAuthTokens.self, from: Data(json.utf8)) }
    }

    @Test func tokensExpireAtTheirExpiryInstant() {
        let expiry = Self.sample.accessTokenExpiry
        #expect(!Self.sample.isExpired(at: expiry.addingTimeInterval(-1)))
        #expect(Self.sample.isExpired(at: expiry))
        #expect(Self.sample.isExpired(at: expiry.addingTimeInterval(1)))
    }

    @Test func sessionAuthorizationSignsWithTheTokenValues() throws {
        let header = try Self.sample.sessionAuthorization(
            baseURL: "http://127.0.0.1:8080", timestamp: Date(timeIntervalSince1970: 1_700_000_000), nonce: "n1")
        let parameters = try OAuthHeader.parse(header)
        #expect(parameters.consumerKey == Self.sample.consumerKey)
        #expect(parameters.token == Self.sample.accessToken)
        #expect(parameters.realm == nil)
        #expect(
            OAuthSignature.verify(
                method: "GET", url: "http://127.0.0.1:8080/session", parameters: parameters,
                consumerSecret: Self.sample.consumerSecret, accessSecret: Self.sample.accessSecret))
    }
}
