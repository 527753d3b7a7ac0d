/// Why an OAuth `Authorization` header or request URL cannot be used (dep-api §2.5).
///
/// Every case is a client mistake Apple answers with `400 Bad Request`; failures of the
/// credentials themselves (unknown key, bad signature, used nonce) are the verifier's 401s and
/// are not errors of parsing.
public enum OAuthError: Error, Hashable, Sendable {
    /// The header is not `OAuth name="value", …` (wrong scheme, missing quote, bad escape…).
    case malformedHeader(String)
    /// A protocol parameter appears twice ("duplicated OAuth protocol parameter").
    case duplicatedParameter(String)
    /// A required protocol parameter is absent ("missing required authorization parameter").
    case missingParameter(String)
    /// A parameter this flavour of OAuth does not use ("unsupported OAuth parameters").
    case unsupportedParameter(String)
    /// `oauth_signature_method` is not `HMAC-SHA1` ("unsupported signature method").
    case unsupportedSignatureMethod(String)
    /// `oauth_version` is present and not `1.0` (RFC 5849 §3.1).
    case unsupportedVersion(String)
    /// The request URL has no scheme or host, or a bad port or query escape (RFC 5849 §3.4.1.2).
    case invalidURL(String)

    /// The OAuth Problem Reporting name the server answers with (`oauth_problem=…`, dep-api §2.5).
    public var problem: OAuthProblem {
        switch self {
        case .missingParameter: .parameterAbsent
        case .unsupportedSignatureMethod: .signatureMethodRejected
        case .unsupportedVersion: .versionRejected
        case .malformedHeader, .duplicatedParameter, .unsupportedParameter, .invalidURL: .parameterRejected
        }
    }

    /// The HTTP status Apple answers with: 400 for every case (dep-api §2.5).
    public var statusCode: Int { problem.status }
}

extension OAuthError: CustomStringConvertible {
    /// A sentence saying what is wrong and what to change.
    public var description: String {
        switch self {
        case .malformedHeader(let reason):
            "The Authorization header is not a valid OAuth header: \(reason)."
        case .duplicatedParameter(let name):
            "The OAuth parameter \(name) appears more than once; send each parameter once."
        case .missingParameter(let name):
            "The OAuth parameter \(name) is missing; sign the request with all OAuth 1.0a parameters."
        case .unsupportedParameter(let name):
            "The parameter \(name) is not supported in the OAuth header; remove it."
        case .unsupportedSignatureMethod(let method):
            "The signature method \(method) is not supported; use HMAC-SHA1."
        case .unsupportedVersion(let version):
            "The OAuth version \(version) is not supported; send oauth_version=\"1.0\" or omit it."
        case .invalidURL(let url):
            "The URL \(url) cannot be signed: it needs a scheme and a host, a numeric port and valid escapes."
        }
    }
}
