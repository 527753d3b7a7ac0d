/// An OAuth 2 token endpoint's refusal (RFC 6749 §5.2): `{"error", "error_description",
/// "error_uri"}`, which Apple's token endpoint answers (peers §5.2).
public struct OAuth2Error: Error, Codable, Sendable, Hashable, CustomStringConvertible {
    /// RFC 6749's error codes, and whatever else a server sends.
    public struct Code: RawRepresentable, Codable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let invalidRequest = Code(rawValue: "invalid_request")
        public static let invalidClient = Code(rawValue: "invalid_client")
        public static let invalidGrant = Code(rawValue: "invalid_grant")
        public static let unauthorizedClient = Code(rawValue: "unauthorized_client")
        public static let unsupportedGrantType = Code(rawValue: "unsupported_grant_type")
        public static let invalidScope = Code(rawValue: "invalid_scope")

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    public var error: Code
    /// What was wrong, for the developer reading it.
    public var errorDescription: String?
    public var errorURI: String?

    public init(_ error: Code, _ description: String? = nil, uri: String? = nil) {
        self.error = error
        self.errorDescription = description
        self.errorURI = uri
    }

    /// The HTTP status RFC 6749 §5.2 gives it: 401 for a client that failed to authenticate,
    /// 400 for everything else.
    public var status: Int { error == .invalidClient ? 401 : 400 }

    public var description: String {
        error.rawValue + (errorDescription.map { ": " + $0 } ?? "")
    }

    private enum CodingKeys: String, CodingKey {
        case error, errorDescription = "error_description", errorURI = "error_uri"
    }
}
