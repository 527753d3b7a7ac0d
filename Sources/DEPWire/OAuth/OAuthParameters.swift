#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The OAuth 1.0a protocol parameters of one `GET /session` (dep-api §2.1, RFC 5849 §3.1).
///
/// Values are kept exactly as sent (decoded from the header's percent-encoding): the timestamp
/// stays text so the verifier signs the very string the client signed.
public struct OAuthParameters: Hashable, Sendable {
    /// The only signature method Apple accepts.
    public static let hmacSHA1 = "HMAC-SHA1"

    /// `oauth_consumer_key`: the token's `consumer_key`.
    public var consumerKey: String
    /// `oauth_token`: the token's `access_token`.
    public var token: String
    /// `oauth_signature_method`: always `HMAC-SHA1` for requests this package builds or accepts.
    public var signatureMethod: String
    /// `oauth_timestamp`: seconds since 1970-01-01 UTC, as decimal text.
    public var timestamp: String
    /// `oauth_nonce`: a string the client never reuses.
    public var nonce: String
    /// `oauth_version`: `1.0` when sent; optional in RFC 5849, sent by every DEP client.
    public var version: String?
    /// `oauth_signature`: base64 HMAC-SHA1, empty before signing.
    public var signature: String
    /// `realm`: optional, not signed (Apple's old example used `ADM`).
    public var realm: String?

    /// Parameters with every value given.
    public init(
        consumerKey: String, token: String, signatureMethod: String = Self.hmacSHA1,
        timestamp: String, nonce: String, version: String? = "1.0", signature: String = "",
        realm: String? = nil
    ) {
        self.consumerKey = consumerKey
        self.token = token
        self.signatureMethod = signatureMethod
        self.timestamp = timestamp
        self.nonce = nonce
        self.version = version
        self.signature = signature
        self.realm = realm
    }

    /// Unsigned parameters for a request made at `date` (whole seconds, rounded down).
    public init(consumerKey: String, token: String, timestamp date: Date, nonce: String, realm: String? = nil) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        self.init(consumerKey: consumerKey, token: token, timestamp: String(seconds), nonce: nonce, realm: realm)
    }

    /// The timestamp as a date, or `nil` when it is not plain decimal digits.
    public var timestampDate: Date? {
        guard !timestamp.isEmpty, timestamp.utf8.count <= 18,
            timestamp.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let seconds = Int64(timestamp)
        else { return nil }
        return Date(timeIntervalSince1970: Double(seconds))
    }

    /// The `oauth_*` name/value pairs that are signed: all but `oauth_signature` (and never
    /// `realm`), RFC 5849 §3.4.1.3.1.
    var signedPairs: [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = [
            ("oauth_consumer_key", consumerKey),
            ("oauth_token", token),
            ("oauth_signature_method", signatureMethod),
            ("oauth_timestamp", timestamp),
            ("oauth_nonce", nonce),
        ]
        if let version { pairs.append(("oauth_version", version)) }
        return pairs
    }
}
