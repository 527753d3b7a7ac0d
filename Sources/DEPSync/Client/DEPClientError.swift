public import DEPWire
public import Foundation

/// Why a DEP call failed, typed from Apple's codes (dep-api §6) so that callers decide by case,
/// never by reading text.
public enum DEPClientError: RetriableError, Sendable {
    /// 403 `T_C_NOT_SIGNED`: the organisation must accept Apple's new terms in the portal.
    case termsNotSigned
    /// 403 `ACCESS_DENIED`: this MDM server (or its token) may not do that.
    case accessDenied
    /// `/session` refused the server token (rejected, revoked, bad signature or clock).
    case tokenRejected(DEPError)
    /// The server token's access token expired at this time; a new token is needed.
    case tokenExpired(Date)
    /// A cursor error of fetch or sync (`CURSOR_REQUIRED`, `INVALID_`, `EXHAUSTED_`, `EXPIRED_CURSOR`).
    case cursor(DEPErrorCode)
    /// 429: the service asks us to slow down, for `retryAfter` seconds when it says.
    case throttled(retryAfter: Double?)
    /// 5xx: the service failed; trying later may work.
    case serverError(DEPError, retryAfter: Double?)
    /// No HTTP answer at all: the network, TLS or a timeout.
    case network(TransportError)
    /// Still 401 (or 403 `FORBIDDEN`) with a session just opened.
    case unauthorized(DEPError)
    /// Any other refusal: a 400 code, a 404, a 405.
    case refused(DEPError)
    /// A 200 whose body is not what the endpoint returns.
    case malformedResponse(path: String, reason: String)
    /// An answer larger than `limit` bytes (decoded), far beyond any DEP answer: the agent
    /// stopped reading it (`TransportOptions.maximumResponseSize`).
    case oversizedResponse(path: String, limit: Int)
    /// A 3xx: the agent does not follow redirects for the DEP API, whose address is configured.
    case redirected(path: String, status: Int, location: String?)

    /// Classifies a non-200 answer to `path`, a call other than `/session`.
    init(status: Int, body: String, retryAfter: Double?, path: String, location: String? = nil) {
        let error = DEPError(status: status, body: body)
        switch (status, error.code) {
        case (300..<400, _): self = .redirected(path: path, status: status, location: location)
        case (403, .termsNotSigned?): self = .termsNotSigned
        case (403, .accessDenied?): self = .accessDenied
        case (400, let code?) where Self.cursorCodes.contains(code): self = .cursor(code)
        case (429, _): self = .throttled(retryAfter: retryAfter)
        case (500..., _): self = .serverError(error, retryAfter: retryAfter)
        case (401, _), (403, .forbidden?): self = .unauthorized(error)
        default: self = .refused(error)
        }
    }

    /// Classifies a non-200 answer to `/session`: whatever is not terms, access, throttling, a
    /// redirect or a server failure is the token's fault.
    init(sessionStatus status: Int, body: String, retryAfter: Double?, location: String? = nil) {
        let classified = Self(
            status: status, body: body, retryAfter: retryAfter, path: "/session", location: location)
        switch classified {
        case .termsNotSigned, .accessDenied, .throttled, .serverError, .redirected: self = classified
        default: self = .tokenRejected(DEPError(status: status, body: body))
        }
    }

    private static let cursorCodes: Set<DEPErrorCode> = [
        .cursorRequired, .invalidCursor, .exhaustedCursor, .expiredCursor,
    ]

    /// Whether the same call may succeed later: throttling, server failures and network trouble.
    /// The wait before a retry was cancelled.
    public static var cancelled: Self { .network(.cancelled) }

    public var isTransient: Bool {
        switch self {
        case .throttled, .serverError: true
        case .network(let error): error.isTransient
        default: false
        }
    }

    /// How long the service asked us to wait, when it said.
    public var retryAfter: Double? {
        switch self {
        case .throttled(let seconds), .serverError(_, let seconds): seconds
        default: nil
        }
    }

    public var description: String {
        let text: String =
            switch self {
            case .termsNotSigned:
                "T_C_NOT_SIGNED: the organisation must accept Apple's terms and conditions in the portal"
            case .accessDenied:
                "ACCESS_DENIED: this MDM server may not do that; check its token and its devices in the portal"
            case .tokenRejected(let error):
                "the DEP service refused the server token (\(error)); download a new token from the portal and run `depsync token import`"
            case .tokenExpired(let date):
                "the server token expired on \(DEPDate.format(date)); download a new token from the portal and run `depsync token import`"
            case .cursor(let code):
                "the DEP service refused the sync cursor (\(code)); run `depsync sync` again to start a full fetch"
            case .throttled(let seconds):
                "the DEP service is throttling requests (429)\(Self.waitHint(seconds)); try again later"
            case .serverError(let error, let seconds):
                "the DEP service failed (\(error))\(Self.waitHint(seconds)); try again later"
            case .network(let error) where error.isUntrustedServer:
                "\(error); the service's certificate is not trusted: give its certificate authority with --ca-file "
                    + "(for fakedep, the file `fakedep ca` names)"
            case .network(let error):
                "\(error); check the URL and that the service is reachable"
            case .unauthorized(let error):
                "the DEP service refused a session it had just issued (\(error)); check the server token and the service"
            case .refused(let error):
                "the DEP service refused the request (\(error))"
            case .malformedResponse(let path, let reason):
                "the DEP service answered \(path) with something unreadable: \(reason)"
            case .oversizedResponse(let path, let limit):
                "the DEP service answered \(path) with more than \(Self.size(limit)), far beyond any DEP answer; "
                    + "depsync did not take it"
            case .redirected(let path, let status, let location?):
                "the DEP service redirected \(path) to \(location) (HTTP \(status)); depsync does not follow "
                    + "redirects for the DEP API: check --url, and use that address only if you trust it"
            case .redirected(let path, let status, nil):
                "the DEP service answered \(path) with a redirect (HTTP \(status)) naming no address; "
                    + "depsync does not follow redirects for the DEP API: check --url"
            }
        // What the service wrote (an error body, a Location) must not drive the terminal.
        return Self.oneLine(text).escapingControlCharacters
    }

    /// An error page may span lines (a proxy's HTML, say): what is printed stays one line.
    private static func oneLine(_ text: String, limit: Int = 300) -> String {
        let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        return flat.count > limit ? flat.prefix(limit) + "…" : flat
    }

    /// A size in bytes, in MiB when it is whole MiB.
    private static func size(_ bytes: Int) -> String {
        bytes > 0 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    /// The wait a service asked for, as words; any `Double` is safe here (a huge or infinite
    /// one, which `Int(_:)` would trap on, reads as "more than an hour").
    private static func waitHint(_ seconds: Double?) -> String {
        guard let seconds, seconds >= 0 else { return "" }
        guard seconds <= RetryPolicy.longestRetryAfter else { return ", asking to wait more than an hour" }
        return ", asking to wait \(Int(seconds.rounded(.up))) s"
    }
}
