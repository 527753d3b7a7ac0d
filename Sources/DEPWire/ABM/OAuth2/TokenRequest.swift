/// A client-credentials token request with a JWT client assertion (peers §5.2; RFC 6749 §4.4,
/// RFC 7523 §2.2), as form parameters in a body or a query string.
///
/// Reading only checks that each parameter is there once; whether its value is acceptable is the
/// token endpoint's decision.
public struct TokenRequest: Sendable, Hashable {
    /// The one grant type Apple's endpoint takes.
    public static let clientCredentials = "client_credentials"
    /// The one client assertion type: a JWT.
    public static let jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

    public var grantType: String
    public var clientID: String
    public var clientAssertionType: String
    /// The signed JWT, compact.
    public var clientAssertion: String
    public var scope: String

    /// A request for `scope` as `clientID`, with its signed assertion.
    public init(
        clientID: String, clientAssertion: String, scope: String, grantType: String = Self.clientCredentials,
        clientAssertionType: String = Self.jwtBearer
    ) {
        self.grantType = grantType
        self.clientID = clientID
        self.clientAssertionType = clientAssertionType
        self.clientAssertion = clientAssertion
        self.scope = scope
    }

    /// The parameter names, in the order Apple's example writes them.
    static let names = ["grant_type", "client_id", "client_assertion_type", "client_assertion", "scope"]

    /// Reads the parameters (unknown ones ignored, RFC 6749 §3.2). `invalid_request` when one is
    /// missing, empty or repeated.
    public init(parameters: [(name: String, value: String)]) throws(OAuth2Error) {
        var values: [String: String] = [:]
        for (name, value) in parameters where Self.names.contains(name) {
            guard values[name] == nil else {
                throw OAuth2Error(.invalidRequest, "The parameter \(name) is sent more than once.")
            }
            values[name] = value
        }
        func require(_ name: String) throws(OAuth2Error) -> String {
            guard let value = values[name], !value.isEmpty else {
                throw OAuth2Error(.invalidRequest, "The parameter \(name) is missing.")
            }
            return value
        }
        grantType = try require("grant_type")
        clientID = try require("client_id")
        clientAssertionType = try require("client_assertion_type")
        clientAssertion = try require("client_assertion")
        scope = try require("scope")
    }

    /// Reads `application/x-www-form-urlencoded` text.
    public init(form: some StringProtocol) throws(OAuth2Error) {
        guard let pairs = FormEncoding.decode(form) else {
            throw OAuth2Error(.invalidRequest, "The parameters are not valid application/x-www-form-urlencoded text.")
        }
        try self.init(parameters: pairs)
    }

    /// The parameters as `application/x-www-form-urlencoded` text, for a body or a query string.
    public var form: String {
        FormEncoding.encode(
            zip(Self.names, [grantType, clientID, clientAssertionType, clientAssertion, scope]).map {
                ($0, $1)
            })
    }
}
