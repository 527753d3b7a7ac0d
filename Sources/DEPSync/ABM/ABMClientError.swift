public import DEPWire
import Foundation

/// Why a call to Apple's Business/School Manager API failed: the token endpoint's RFC 6749
/// refusal, or the API's JSON:API `ErrorResponse`, typed so that callers decide by case.
public enum ABMClientError: RetriableError, Sendable {
    /// The token endpoint refused the client credentials (RFC 6749 §5.2); 429 carries its wait.
    case tokenRefused(status: Int, OAuth2Error, retryAfter: Double?)
    /// Still 401 with a token just minted.
    case unauthorized(ErrorResponse?)
    /// 429: the API asks us to slow down, for `retryAfter` seconds when it says.
    case throttled(retryAfter: Double?)
    /// 5xx: the service failed; trying later may work.
    case serverError(status: Int, ErrorResponse?, retryAfter: Double?)
    /// Any other refusal: 400, 403, 404, 406, 409, 422.
    case refused(status: Int, ErrorResponse?)
    /// No HTTP answer at all: the network, TLS or a timeout.
    case network(TransportError)
    /// A success whose body is not what the endpoint returns.
    case malformedResponse(url: String, reason: String)
    /// The state directory's store could not keep or give back the cached credentials.
    case store(String)

    /// Classifies a failed answer of the API (not the token endpoint).
    init(status: Int, body: Data, retryAfter: Double?) {
        let errors = try? DEPJSON.decode(ErrorResponse.self, from: body)
        switch status {
        case 401: self = .unauthorized(errors)
        case 429: self = .throttled(retryAfter: retryAfter)
        case 500...: self = .serverError(status: status, errors, retryAfter: retryAfter)
        default: self = .refused(status: status, errors)
        }
    }

    /// Classifies a failed answer of the token endpoint; a body that is not RFC 6749 JSON is
    /// kept as the description of an `invalid_request`.
    init(tokenStatus status: Int, body: Data, retryAfter: Double?) {
        let error =
            (try? DEPJSON.decode(OAuth2Error.self, from: body))
            ?? OAuth2Error(
                OAuth2Error.Code(rawValue: "http_\(status)"),
                String(decoding: body.prefix(200), as: UTF8.self).escapingControlCharacters)
        self = .tokenRefused(status: status, error, retryAfter: retryAfter)
    }

    /// Whether trying again later may succeed: throttling, 5xx, a transient network failure.
    /// The wait before a retry was cancelled.
    public static var cancelled: Self { .network(.cancelled) }

    public var isTransient: Bool {
        switch self {
        case .throttled, .serverError: true
        case .tokenRefused(let status, _, _): status == 429 || status >= 500
        case .network(let error): error.isTransient
        default: false
        }
    }

    /// The wait the service asked for, in seconds.
    public var retryAfter: Double? {
        switch self {
        case .throttled(let wait), .serverError(_, _, let wait), .tokenRefused(_, _, let wait): wait
        default: nil
        }
    }

    /// The HTTP status, when there was an answer.
    public var status: Int? {
        switch self {
        case .tokenRefused(let status, _, _), .serverError(let status, _, _), .refused(let status, _): status
        case .unauthorized: 401
        case .throttled: 429
        case .network, .malformedResponse, .store: nil
        }
    }

    public var description: String {
        switch self {
        case .tokenRefused(let status, let error, let retryAfter):
            "the token endpoint refused the API account's credentials (\(status) \(error.error.rawValue))"
                + (error.errorDescription.map { ": \($0.escapingControlCharacters)" } ?? "")
                + (retryAfter.map { "; retry in \(Int($0.rounded(.up))) s" } ?? "")
                + (status == 429 ? "" : "; check the client id, key id and key with `depsync abm login`")
        case .unauthorized(let errors):
            "the API refused a token it had just issued (401)\(Self.detail(errors)); check the API account in the portal"
        case .throttled(let retryAfter):
            "the API is throttling requests (429)" + (retryAfter.map { "; retry in \(Int($0.rounded(.up))) s" } ?? "")
        case .serverError(let status, let errors, _):
            "the API failed (\(status))\(Self.detail(errors)); try again later"
        case .refused(let status, let errors):
            "the API refused the request (\(status))\(Self.detail(errors))"
        case .network(let error):
            "the API could not be reached: \(error)"
        case .malformedResponse(let url, let reason):
            "the answer of \(url.escapingControlCharacters) is not what the API returns: \(reason)"
        case .store(let reason):
            "the state directory's store failed: \(reason)"
        }
    }

    /// `: CODE: detail` of the first error, escaped.
    private static func detail(_ errors: ErrorResponse?) -> String {
        guard let first = errors?.errors.first else { return "" }
        return ": \(first.code): \(first.detail)".escapingControlCharacters
    }
}
