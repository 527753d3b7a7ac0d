/// A successful token endpoint answer (RFC 6749 §5.1, peers §5.2): an opaque bearer token for
/// one scope, good for `expires_in` seconds.
public struct TokenResponse: Codable, Sendable, Hashable {
    public var accessToken: String
    /// Always `Bearer`.
    public var tokenType: String
    public var expiresIn: Int
    public var scope: String

    public init(accessToken: String, expiresIn: Int, scope: String, tokenType: String = "Bearer") {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.scope = scope
    }

    private enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", tokenType = "token_type", expiresIn = "expires_in", scope
    }
}
