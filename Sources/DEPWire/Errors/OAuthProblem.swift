/// Why `GET /session` refused a request, in the vocabulary of the OAuth Problem Reporting
/// extension that clients in the wild look for (dep-api §2.5).
///
/// Apple's exact bytes are unknown; we answer `oauth_problem=<name>` with the status of §2.5, and
/// `DEPError(status:body:)` reads such a body as the code `<name>`.
public enum OAuthProblem: String, Sendable, CaseIterable {
    // 400
    case parameterAbsent = "parameter_absent"
    case parameterRejected = "parameter_rejected"
    case signatureMethodRejected = "signature_method_rejected"
    case versionRejected = "version_rejected"
    // 401
    case consumerKeyUnknown = "consumer_key_unknown"
    case tokenRejected = "token_rejected"
    case tokenExpired = "token_expired"
    case signatureInvalid = "signature_invalid"
    case nonceUsed = "nonce_used"
    case timestampRefused = "timestamp_refused"

    /// The HTTP status Apple lists for this kind of failure.
    public var status: Int {
        switch self {
        case .parameterAbsent, .parameterRejected, .signatureMethodRejected, .versionRejected: 400
        default: 401
        }
    }

    /// The response body: `oauth_problem=<name>`.
    public var reportBody: String { "oauth_problem=" + rawValue }

    /// The code under which a client sees this problem.
    public var code: DEPErrorCode { DEPErrorCode(rawValue: rawValue) }

    /// The error to answer with.
    public var error: DEPError { DEPError(code, status: status) }

    /// Reads `oauth_problem=<name>[&…]`.
    init?(reportBody: Substring) {
        let prefix = "oauth_problem="
        guard reportBody.hasPrefix(prefix) else { return nil }
        let name = reportBody.dropFirst(prefix.count).prefix { $0 != "&" }
        self.init(rawValue: String(name))
    }
}
