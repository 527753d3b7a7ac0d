import DEPSync
import DEPWire
import Foundation

/// One canned answer of a `ScriptedTransport`: an HTTP response, or a failure with no response.
enum ScriptedReply: Sendable {
    case response(HTTPResponse)
    case failure(TransportError)

    /// A response with `status`, a plain-text `body` and `headers`.
    static func status(_ status: Int, _ body: String = "", headers: [(name: String, value: String)] = []) -> Self {
        .response(HTTPResponse(status: status, headers: headers, body: Data(body.utf8)))
    }

    /// A response whose body is `value` encoded as the service encodes JSON.
    static func json(
        _ value: some Encodable, status: Int = 200, headers: [(name: String, value: String)] = []
    ) throws -> Self {
        .response(
            HTTPResponse(
                status: status, headers: [("Content-Type", DEPHeader.jsonContentType)] + headers,
                body: try DEPJSON.encode(value)))
    }

    /// A `/session` answer carrying `token`.
    static func session(_ token: String) -> Self {
        .status(200, #"{"auth_session_token":"\#(token)"}"#, headers: [("Content-Type", DEPHeader.jsonContentType)])
    }
}

/// A request as the scripted transport received it.
struct RecordedRequest: Sendable {
    var method: String
    var url: String
    var headers: [(name: String, value: String)]
    var body: Data?

    /// The URL's path, without the base URL or the query.
    var path: String { URLComponents(string: url)?.path ?? url }

    /// The first value of header `name`, matched case-insensitively.
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body decoded as the service decodes JSON (an absent body fails to decode).
    func decodedBody<T: Decodable>(_ type: T.Type) throws -> T {
        try DEPJSON.decode(type, from: body ?? Data())
    }
}

/// An `HTTPTransport` standing in for the DEP service: it answers from canned replies and
/// records every request for assertions.
///
/// A request is answered, in this order, by the next reply queued for its path, by a fresh
/// session when it is `/session` and the transport issues sessions (`session-1`, `session-2`…),
/// by the reply its path always gets, by the next reply of the ordered queue, then by the
/// handler. With none of these it fails with a non-transient `TransportError`.
actor ScriptedTransport: HTTPTransport {
    /// Answers a request no canned reply covers.
    typealias Handler = @Sendable (RecordedRequest) async throws -> ScriptedReply

    private var queue: [ScriptedReply]
    private var queued: [String: [ScriptedReply]] = [:]
    private var always: [String: ScriptedReply] = [:]
    private let issuesSessions: Bool
    private let handler: Handler?
    private var sessionsIssued = 0
    /// Every request received, in order.
    private(set) var requests: [RecordedRequest] = []

    /// A transport answering from `replies` in order, then from `handler`; with
    /// `issuingSessions`, `/session` is answered with a new token each time.
    init(_ replies: [ScriptedReply] = [], issuingSessions: Bool = true, handler: Handler? = nil) {
        queue = replies
        issuesSessions = issuingSessions
        self.handler = handler
    }

    /// Queues `replies` for the next requests to `path`, ahead of every other rule.
    func enqueue(_ path: String, _ replies: [ScriptedReply]) {
        queued[path, default: []] += replies
    }

    /// Answers every request to `path` with `reply` once its queue is empty.
    func answer(_ path: String, always reply: ScriptedReply) {
        always[path] = reply
    }

    /// The requests received for `path`, in order.
    func requests(to path: String) -> [RecordedRequest] {
        requests.filter { $0.path == path }
    }

    /// Every path requested, in order.
    var paths: [String] { requests.map(\.path) }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let recorded = RecordedRequest(
            method: request.method, url: request.url, headers: request.headers, body: request.body)
        requests.append(recorded)
        switch try await reply(to: recorded) {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }

    private func reply(to request: RecordedRequest) async throws -> ScriptedReply {
        let path = request.path
        if var replies = queued[path], !replies.isEmpty {
            let reply = replies.removeFirst()
            queued[path] = replies
            return reply
        }
        if path == "/session", issuesSessions {
            sessionsIssued += 1
            return .session("session-\(sessionsIssued)")
        }
        if let reply = always[path] { return reply }
        if !queue.isEmpty { return queue.removeFirst() }
        if let handler { return try await handler(request) }
        return .failure(
            TransportError(code: -99, message: "no reply scripted for \(request.method) \(path)", isTransient: false))
    }
}

/// The delays a client or assigner asked to sleep for; nothing actually waits.
actor SleepLog {
    private(set) var delays: [Double] = []

    func record(_ seconds: Double) {
        delays.append(seconds)
    }
}

/// A `DEPClient` talking to a `ScriptedTransport`, with a fixed clock, tokens valid for a year,
/// recorded sleeps and a fixed jitter.
struct ScriptedClient {
    static let baseURL = "https://dep.example.test"
    /// 2025-06-15T15:06:40Z.
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let tokens = OAuthTokens(
        consumerKey: "CK_test", consumerSecret: "CS_test", accessToken: "AT_test", accessSecret: "AS_test",
        accessTokenExpiry: now.addingTimeInterval(365 * 86_400))

    let client: DEPClient
    let transport: ScriptedTransport
    let sleeps: SleepLog

    init(
        _ transport: ScriptedTransport = ScriptedTransport(), retry: RetryPolicy = RetryPolicy(),
        tokens: OAuthTokens = Self.tokens, now: Date = Self.now, jitter: Double = 1
    ) {
        let sleeps = SleepLog()
        var options = DEPClient.Options(baseURL: Self.baseURL)
        options.retry = retry
        self.transport = transport
        self.sleeps = sleeps
        client = DEPClient(
            tokens: tokens, transport: transport, options: options, now: { now },
            sleep: { await sleeps.record($0) }, jitter: { jitter })
    }
}

/// A `DEPClientError` reduced to what tests compare (the error itself is not `Equatable`).
enum ErrorKind: Equatable {
    case termsNotSigned
    case accessDenied
    case tokenRejected(status: Int)
    case tokenExpired(Date)
    case cursor(DEPErrorCode)
    case throttled(retryAfter: Double?)
    case serverError(status: Int, retryAfter: Double?)
    case network(code: Int)
    case unauthorized(status: Int)
    case refused(status: Int, code: DEPErrorCode?)
    case malformedResponse(path: String)
    case oversizedResponse(path: String, limit: Int)
    case redirected(path: String, status: Int, location: String?)
}

extension DEPClientError {
    /// This error's case and the values tests compare.
    var kind: ErrorKind {
        switch self {
        case .termsNotSigned: .termsNotSigned
        case .accessDenied: .accessDenied
        case .tokenRejected(let error): .tokenRejected(status: error.status)
        case .tokenExpired(let date): .tokenExpired(date)
        case .cursor(let code): .cursor(code)
        case .throttled(let seconds): .throttled(retryAfter: seconds)
        case .serverError(let error, let seconds): .serverError(status: error.status, retryAfter: seconds)
        case .network(let error): .network(code: error.code)
        case .unauthorized(let error): .unauthorized(status: error.status)
        case .refused(let error): .refused(status: error.status, code: error.code)
        case .malformedResponse(let path, _): .malformedResponse(path: path)
        case .oversizedResponse(let path, let limit): .oversizedResponse(path: path, limit: limit)
        case .redirected(let path, let status, let location):
            .redirected(path: path, status: status, location: location)
        }
    }
}
