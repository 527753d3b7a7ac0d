/// The answer of `GET /session` (dep-api §2.2).
public struct SessionResponse: Codable, Hashable, Sendable {
    /// The opaque value to send as `X-ADM-Auth-Session`.
    public var authSessionToken: String

    enum CodingKeys: String, CodingKey {
        case authSessionToken = "auth_session_token"
    }

    public init(authSessionToken: String) { self.authSessionToken = authSessionToken }
}
