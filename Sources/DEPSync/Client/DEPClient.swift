public import DEPWire
public import Foundation
public import Logging

/// Talks to one DEP service as one MDM server: opens sessions with the server token, renews
/// them once when the service forgets them, adopts rotated session tokens, retries transient
/// failures, and types every refusal (`DEPClientError`).
///
/// The endpoint methods (one per DEP endpoint) live in `DEPClient+Endpoints.swift`.
public actor DEPClient {
    /// How the client talks to the service.
    public struct Options: Sendable {
        /// The service's base URL, without a path (`https://mdmenrollment.apple.com`).
        public var baseURL: String
        /// Sent as `X-Server-Protocol-Version`.
        public var protocolVersion: Int = 10
        public var retry = RetryPolicy()

        public init(baseURL: String) { self.baseURL = baseURL }
    }

    private let tokens: OAuthTokens
    private let transport: any HTTPTransport
    private let options: Options
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Double) async throws -> Void
    private let jitter: @Sendable () -> Double
    private let logger: Logger
    private let retrier: Retrier
    /// The session token in use, once one is open.
    private var session: String?
    /// The `/session` call in flight, if one is.
    private var opening: Task<String, any Error>?
    /// How many sessions this client has opened (for status output and tests).
    public private(set) var sessionsOpened = 0

    /// Creates a client; `now`, `sleep` and `jitter` are injectable so tests need not wait.
    public init(
        tokens: OAuthTokens, transport: any HTTPTransport, options: Options,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        logger: Logger = Logger(label: "depsync.client")
    ) {
        self.tokens = tokens
        self.transport = transport
        self.options = options
        self.now = now
        self.sleep = sleep
        self.jitter = jitter
        self.logger = logger
        retrier = Retrier(policy: options.retry, now: now, sleep: sleep, jitter: jitter, logger: logger)
    }

    /// Sends a DEP call and returns the 200 answer's body, retrying what is transient.
    func call(_ method: String, _ path: String, body: Data? = nil) async throws(DEPClientError) -> Data {
        try await retrier.run { () async throws(DEPClientError) -> Data in
            try await self.callOnce(method, path, body: body)
        }
    }

    /// Sends a JSON body and decodes the JSON answer, of at most `largestDecodedAnswer` bytes.
    func call<Answer: Decodable>(
        _ method: String, _ path: String, sending value: (some Encodable)?, as type: Answer.Type
    ) async throws(DEPClientError) -> Answer {
        let answer = try await call(method, path, body: try encoded(value, path: path))
        guard answer.count <= Self.largestDecodedAnswer else {
            throw .oversizedResponse(path: path, limit: Self.largestDecodedAnswer)
        }
        do {
            return try DEPJSON.decode(type, from: answer)
        } catch {
            throw .malformedResponse(path: path, reason: "\(error)")
        }
    }

    /// The largest answer decoded with `JSONDecoder` (every answer but fetch and sync pages,
    /// which DEPWire's page reader reads): 1 MiB, more than Apple's largest (the details of 1000
    /// devices). `JSONDecoder` holds a document many times over, so a larger one could take
    /// hundreds of megabytes.
    static let largestDecodedAnswer = 1 << 20

    /// Sends a JSON body and reads the answer with `read`; a failure of either is typed.
    func call<Answer>(
        _ method: String, _ path: String, sending value: (some Encodable)?, reading read: (Data) throws -> Answer
    ) async throws(DEPClientError) -> Answer {
        let answer = try await call(method, path, body: try encoded(value, path: path))
        do {
            return try read(answer)
        } catch {
            throw .malformedResponse(path: path, reason: "\(error)")
        }
    }

    /// The JSON body of a call to `path`.
    private func encoded(_ value: (some Encodable)?, path: String) throws(DEPClientError) -> Data? {
        do {
            return try value.map { try DEPJSON.encode($0) }
        } catch {
            throw .malformedResponse(path: path, reason: "the request did not encode: \(error)")
        }
    }

    /// One attempt: with a session, renewed and replayed once when the service says it is gone.
    private func callOnce(_ method: String, _ path: String, body: Data?) async throws(DEPClientError) -> Data {
        var renewed = false
        while true {
            let token = try await openSessionIfNeeded()
            var headers: [(name: String, value: String)] = [
                (DEPHeader.authSession, token), (DEPHeader.protocolVersion, String(options.protocolVersion)),
                ("Accept", "application/json"),
            ]
            if body != nil { headers.append(("Content-Type", DEPHeader.jsonContentType)) }
            let response = try await send(
                HTTPRequest(method: method, url: url(path), headers: headers, body: body), path: path)
            // Apple may hand out a new session token on any response; the newest one is used.
            if let rotated = response.header(DEPHeader.authSession), !rotated.isEmpty, session == token {
                session = rotated
            }
            if response.status == 200 { return response.body }
            let error = DEPClientError(
                status: response.status, body: response.text, retryAfter: retrier.retryAfter(response), path: path,
                location: response.header("Location"))
            guard case .unauthorized = error, !renewed else { throw error }
            renewed = true
            if session == token { session = nil }
        }
    }

    /// The open session, or a new one from `/session` signed with the server token. Calls that
    /// arrive while a session is being opened wait for that one instead of opening their own.
    private func openSessionIfNeeded() async throws(DEPClientError) -> String {
        if let session { return session }
        let opening: Task<String, any Error>
        if let current = self.opening {
            opening = current
        } else {
            opening = Task { try await self.openSession() }
            self.opening = opening
        }
        do {
            let token = try await opening.value
            if self.opening == opening {
                self.opening = nil
                session = token
                sessionsOpened += 1
            }
            return token
        } catch {
            if self.opening == opening { self.opening = nil }
            throw error as? DEPClientError
                ?? .network(TransportError(code: -1, message: "\(error)", isTransient: false))
        }
    }

    /// `GET /session`, signed with the server token.
    private func openSession() async throws(DEPClientError) -> String {
        let date = now()
        guard !tokens.isExpired(at: date) else { throw .tokenExpired(tokens.accessTokenExpiry) }
        let authorization: String
        do {
            authorization = try tokens.sessionAuthorization(
                baseURL: options.baseURL, timestamp: date, nonce: UUID().uuidString)
        } catch {
            throw .tokenRejected(DEPError(status: 0, body: "\(error)"))
        }
        let response = try await send(
            HTTPRequest(
                method: "GET", url: url("/session"),
                headers: [
                    ("Authorization", authorization), (DEPHeader.protocolVersion, String(options.protocolVersion)),
                    ("Accept", "application/json"),
                ]), path: "/session")
        guard response.status == 200 else {
            let refusal = DEPClientError(
                sessionStatus: response.status, body: response.text, retryAfter: retrier.retryAfter(response),
                location: response.header("Location"))
            // The service's clock decides when a token has expired (dep-api §2.5), whatever ours says.
            if case .tokenRejected(let error) = refusal, error.code == OAuthProblem.tokenExpired.code {
                throw .tokenExpired(tokens.accessTokenExpiry)
            }
            throw refusal
        }
        do {
            return try DEPJSON.decode(SessionResponse.self, from: response.body).authSessionToken
        } catch {
            throw .malformedResponse(path: "/session", reason: "\(error)")
        }
    }

    private func send(_ request: HTTPRequest, path: String) async throws(DEPClientError) -> HTTPResponse {
        do {
            return try await transport.send(request)
        } catch let error as TransportError {
            if let limit = error.responseSizeLimit { throw .oversizedResponse(path: path, limit: limit) }
            throw .network(error)
        } catch {
            throw .network(TransportError(code: -1, message: "\(error)", isTransient: false))
        }
    }

    private func url(_ path: String) -> String {
        var base = Substring(options.baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + path
    }
}
