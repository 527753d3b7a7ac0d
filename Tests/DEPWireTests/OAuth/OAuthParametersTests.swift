import Testing

@testable import DEPWire

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The protocol values of one `/session` request (dep-api §2.1).
struct OAuthParametersTests {
    @Test func aDateBecomesWholeSecondsAndDefaultsAreApple() {
        let parameters = OAuthParameters(
            consumerKey: "CK", token: "AT", timestamp: Date(timeIntervalSince1970: 1_700_000_000.9), nonce: "n")
        #expect(parameters.timestamp == "1700000000")
        #expect(parameters.signatureMethod == "HMAC-SHA1")
        #expect(parameters.version == "1.0")
        #expect(parameters.signature.isEmpty)
        #expect(parameters.realm == nil)
    }

    @Test func timestampReadsBackAsADate() {
        let parameters = OAuthParameters(consumerKey: "CK", token: "AT", timestamp: "1700000000", nonce: "n")
        #expect(parameters.timestampDate == Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test(arguments: ["", "abc", "+1700000000", "-5", "17e8", " 1", "1.5", "99999999999999999999"])
    func aTimestampThatIsNotPlainDigitsHasNoDate(timestamp: String) {
        let parameters = OAuthParameters(consumerKey: "CK", token: "AT", timestamp: timestamp, nonce: "n")
        #expect(parameters.timestampDate == nil)
    }

    @Test func signedPairsLeaveOutSignatureAndRealm() {
        let parameters = OAuthParameters(
            consumerKey: "CK", token: "AT", timestamp: "1", nonce: "n", signature: "sig", realm: "ADM")
        let names = parameters.signedPairs.map(\.name)
        #expect(
            names.sorted() == [
                "oauth_consumer_key", "oauth_nonce", "oauth_signature_method", "oauth_timestamp", "oauth_token",
                "oauth_version",
            ])
    }
}
