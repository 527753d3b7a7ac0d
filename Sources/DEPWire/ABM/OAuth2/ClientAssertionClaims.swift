/// The claims of the JWT a client signs to ask Apple's token endpoint for an access token
/// (peers §5.2; RFC 7523 §3), in the order Apple's sample writes them.
public struct ClientAssertionClaims: Codable, Sendable, Hashable {
    /// The token endpoint Apple names as the audience.
    public static let audience = "https://account.apple.com/auth/oauth2/v2/token"
    /// The endpoint Apple's own curl example posts to, also accepted as an audience.
    public static let legacyAudience = "https://account.apple.com/auth/oauth2/token"
    /// The longest an assertion may live: `exp` at most 180 days after `iat`.
    public static let maximumLifetime: Int64 = 180 * 86_400

    /// The client id.
    public var sub: String
    /// The client id again; Apple's claim table leaves it out, its sample sets it.
    public var iss: String?
    /// Who the token is for: one URL, or a list of them (RFC 7519 §4.1.3).
    public var aud: [String]
    /// Issued at, Unix seconds.
    public var iat: Int64
    /// Expires at, Unix seconds.
    public var exp: Int64
    /// A unique id, so the token endpoint can refuse a replay.
    public var jti: String

    public init(
        clientID: String, issuer: String? = nil, audience: String = Self.audience, issuedAt: Int64, expiresAt: Int64,
        id: String
    ) {
        sub = clientID
        iss = issuer ?? clientID
        aud = [audience]
        iat = issuedAt
        exp = expiresAt
        jti = id
    }

    private enum CodingKeys: String, CodingKey {
        case sub, iss, aud, iat, exp, jti
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sub = try container.decode(String.self, forKey: .sub)
        iss = try container.decodeIfPresent(String.self, forKey: .iss)
        if let single = try? container.decode(String.self, forKey: .aud) {
            aud = [single]
        } else {
            aud = try container.decode([String].self, forKey: .aud)
        }
        iat = try container.decode(Int64.self, forKey: .iat)
        exp = try container.decode(Int64.self, forKey: .exp)
        jti = try container.decode(String.self, forKey: .jti)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sub, forKey: .sub)
        try container.encodeIfPresent(iss, forKey: .iss)
        if aud.count == 1 {
            try container.encode(aud[0], forKey: .aud)
        } else {
            try container.encode(aud, forKey: .aud)
        }
        try container.encode(iat, forKey: .iat)
        try container.encode(exp, forKey: .exp)
        try container.encode(jti, forKey: .jti)
    }
}
