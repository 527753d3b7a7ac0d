#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The five values inside a server token: the OAuth 1.0a credentials for `/session` and their
/// expiry (dep-api §1.3). All four strings are opaque secrets.
public struct OAuthTokens: Codable, Hashable, Sendable {
    /// `consumer_key`, sent as `oauth_consumer_key`.
    public var consumerKey: String
    /// `consumer_secret`, the first half of the HMAC key.
    public var consumerSecret: String
    /// `access_token`, sent as `oauth_token`.
    public var accessToken: String
    /// `access_secret`, the second half of the HMAC key.
    public var accessSecret: String
    /// `access_token_expiry`: one year after issuance, second precision (dep-api §1.5).
    public var accessTokenExpiry: Date

    /// Tokens with the given values.
    public init(
        consumerKey: String, consumerSecret: String, accessToken: String, accessSecret: String, accessTokenExpiry: Date
    ) {
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.accessToken = accessToken
        self.accessSecret = accessSecret
        self.accessTokenExpiry = accessTokenExpiry
    }

    /// Apple's key names, in Apple's order (dep-api §1.2).
    enum CodingKeys: String, CodingKey, CaseIterable {
        case consumerKey = "consumer_key"
        case consumerSecret = "consumer_secret"
        case accessToken = "access_token"
        case accessSecret = "access_secret"
        case accessTokenExpiry = "access_token_expiry"
    }

    /// Decodes the five keys; the expiry is any date-time `DEPDate.parse` accepts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        consumerKey = try container.decode(String.self, forKey: .consumerKey)
        consumerSecret = try container.decode(String.self, forKey: .consumerSecret)
        accessToken = try container.decode(String.self, forKey: .accessToken)
        accessSecret = try container.decode(String.self, forKey: .accessSecret)
        let expiry = try container.decode(String.self, forKey: .accessTokenExpiry)
        guard let date = Self.expiry(expiry) else {
            throw DecodingError.dataCorruptedError(
                forKey: .accessTokenExpiry, in: container, debugDescription: "not an RFC 3339 date-time: \(expiry)")
        }
        accessTokenExpiry = date
    }

    /// Reads `access_token_expiry`, kept to the second as Apple writes it (dep-api §1.5): a
    /// fraction would be lost the next time the tokens are written, so it is dropped on reading.
    static func expiry(_ text: some StringProtocol) -> Date? {
        DEPDate.parse(text).map { Date(timeIntervalSince1970: $0.timeIntervalSince1970.rounded(.down)) }
    }

    /// Encodes the five keys, the expiry as `DEPDate.format` writes it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(consumerKey, forKey: .consumerKey)
        try container.encode(consumerSecret, forKey: .consumerSecret)
        try container.encode(accessToken, forKey: .accessToken)
        try container.encode(accessSecret, forKey: .accessSecret)
        try container.encode(DEPDate.format(accessTokenExpiry), forKey: .accessTokenExpiry)
    }

    /// The one-line compact JSON of the token message, keys in Apple's order (dep-api §1.2):
    /// `{"consumer_key":"…","consumer_secret":"…","access_token":"…","access_secret":"…",`
    /// `"access_token_expiry":"…"}`.
    ///
    /// Written by hand: `JSONEncoder` on Linux changes key order from run to run.
    public var compactJSON: String {
        let values = [consumerKey, consumerSecret, accessToken, accessSecret, DEPDate.format(accessTokenExpiry)]
        let members = zip(CodingKeys.allCases, values).map { key, value in
            "\(JSONString.literal(key.rawValue)):\(JSONString.literal(value))"
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// Whether the tokens have expired at `date` (the expiry instant itself counts as expired).
    public func isExpired(at date: Date) -> Bool {
        date >= accessTokenExpiry
    }

    /// A signed `Authorization` header value for `GET <baseURL>/session` with these credentials
    /// (dep-api §2.1); the caller supplies the time and a fresh nonce.
    public func sessionAuthorization(baseURL: String, timestamp: Date, nonce: String, realm: String? = nil)
        throws(OAuthError) -> String
    {
        try OAuthSignature.sessionAuthorization(
            baseURL: baseURL, consumerKey: consumerKey, consumerSecret: consumerSecret,
            accessToken: accessToken, accessSecret: accessSecret, timestamp: timestamp, nonce: nonce, realm: realm)
    }
}
