public import DEPCrypto
import DEPWire
public import Foundation
public import Logging

/// Talks to Apple's Business/School Manager API as one API account (peers §5.2): signs a client
/// assertion, trades it for an access token, keeps both in the store across runs and renews
/// each before it expires; on a 401 mints a new token and replays the request once; retries
/// what is transient (throttling, 5xx, network) as its `RetryPolicy` says.
///
/// The endpoint methods live in `ABMClient+Endpoints.swift`.
public actor ABMClient {
    /// How the client talks to the service.
    public struct Options: Sendable {
        public var retry = RetryPolicy()
        /// How long a client assertion is signed for (at most 180 days, peers §5.2).
        public var assertionLifetime: TimeInterval = 30 * 86_400
        /// A cached assertion with less left than this is signed anew.
        public var assertionRenewal: TimeInterval = 86_400
        /// A cached access token with less left than this is renewed before use.
        public var tokenRenewal: TimeInterval = 60

        public init() {}
    }

    public let account: ABMAccount
    private let key: ECPrivateKey
    private let store: LocalStore
    private let transport: any HTTPTransport
    private let options: Options
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Double) async throws -> Void
    private let jitter: @Sendable () -> Double
    private let logger: Logger
    private let retrier: Retrier
    /// The access token in use and its expiry (our clock).
    private var token: (value: String, expires: Date)?
    private var clock = ServiceClock()
    /// How many access tokens this client minted, and assertions it signed (for tests and logs).
    public private(set) var tokensMinted = 0
    public private(set) var assertionsSigned = 0

    /// Creates a client caching its credentials in `store`; `now`, `sleep` and `jitter` are
    /// injectable so tests need not wait.
    public init(
        account: ABMAccount, key: ECPrivateKey, store: LocalStore, transport: any HTTPTransport,
        options: Options = Options(), now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        logger: Logger = Logger(label: "depsync.abm")
    ) {
        self.account = account
        self.key = key
        self.store = store
        self.transport = transport
        self.options = options
        self.now = now
        self.sleep = sleep
        self.jitter = jitter
        self.logger = logger
        retrier = Retrier(policy: options.retry, now: now, sleep: sleep, jitter: jitter, logger: logger)
    }

    // MARK: Requests

    /// Sends a request to the API and returns its 2xx answer: with the access token, a new one
    /// minted and the request replayed once on 401, transient failures retried.
    func send(_ method: String, _ url: String, body: Data? = nil) async throws(ABMClientError) -> HTTPResponse {
        try await retrier.run { () async throws(ABMClientError) -> HTTPResponse in
            var renewed = false
            while true {
                let bearer = try await self.accessToken()
                var headers: [(name: String, value: String)] = [
                    ("Accept", "application/json"), ("Authorization", "Bearer " + bearer),
                ]
                if body != nil { headers.append(("Content-Type", "application/json")) }
                let response = try await self.perform(
                    HTTPRequest(method: method, url: url, headers: headers, body: body))
                if (200..<300).contains(response.status) { return response }
                let error = ABMClientError(
                    status: response.status, body: response.body, retryAfter: self.retrier.retryAfter(response))
                // Apple says to get a new token on any 401 (peers §5.2): it may have expired by
                // the service's clock, or been revoked, before ours says so.
                guard case .unauthorized = error, !renewed else { throw error }
                renewed = true
                self.logger.info("the API answered 401; minting a new access token and sending the request again")
                try await self.forgetToken(bearer)
            }
        }
    }

    /// Sends a request and decodes its JSON answer.
    func get<Answer: Decodable>(_ url: String, as type: Answer.Type) async throws(ABMClientError) -> Answer {
        try decode(type, from: try await send("GET", url), url: url)
    }

    /// Decodes a JSON answer of `url`.
    func decode<Answer: Decodable>(_ type: Answer.Type, from response: HTTPResponse, url: String)
        throws(ABMClientError) -> Answer
    {
        do {
            return try DEPJSON.decode(type, from: response.body)
        } catch {
            throw .malformedResponse(url: url, reason: "\(error)")
        }
    }

    /// Sends a request without credentials (a pre-signed download), retrying what is transient.
    func download(_ url: String) async throws(ABMClientError) -> Data {
        try await retrier.run { () async throws(ABMClientError) -> Data in
            let response = try await self.perform(HTTPRequest(method: "GET", url: url))
            guard response.status == 200 else {
                throw ABMClientError(
                    status: response.status, body: response.body, retryAfter: self.retrier.retryAfter(response))
            }
            return response.body
        }
    }

    /// The service's time now, as its answers state it; asks it (a one-server page) when no
    /// answer has yet.
    public func serviceTime() async throws(ABMClientError) -> Date {
        if !clock.isKnown { _ = try await send("GET", url("/v1/mdmServers?limit=1")) }
        return clock.now(local: now())
    }

    /// `path` on the API's host.
    func url(_ path: String) -> String { account.apiURL + path }

    private func perform(_ request: HTTPRequest) async throws(ABMClientError) -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as TransportError {
            throw .network(error)
        } catch {
            throw .network(TransportError(code: -1, message: "\(error)", isTransient: false))
        }
        clock.observe(response, at: now())
        return response
    }

    // MARK: Credentials

    /// A live access token: the one in use, else the store's, else a new one.
    public func accessToken() async throws(ABMClientError) -> String {
        let renewBy = now().addingTimeInterval(options.tokenRenewal)
        if let token, token.expires > renewBy { return token.value }
        if let cached = try await cached(), let value = cached.accessToken, let expires = cached.accessTokenExpiry,
            expires > renewBy
        {
            token = (value, expires)
            return value
        }
        return try await mintToken()
    }

    /// Mints a new access token with the cached assertion (or a new one), and caches it.
    @discardableResult
    public func mintToken() async throws(ABMClientError) -> String {
        var credentials = try await cached() ?? ABMCachedCredentials(clientID: account.clientID)
        var assertion = try usableAssertion(&credentials)
        let response: TokenResponse
        do {
            response = try await retrier.run { () async throws(ABMClientError) -> TokenResponse in
                try await self.requestToken(assertion)
            }
        } catch .tokenRefused(let status, let error, _) where error.error == .invalidClient && !assertion.isNew {
            // A cached assertion the endpoint no longer takes (its exp passed by the service's
            // clock, say) is signed anew once.
            logger.info("the token endpoint refused the cached client assertion (\(status)); signing a new one")
            credentials.assertion = nil
            assertion = try usableAssertion(&credentials)
            response = try await retrier.run { () async throws(ABMClientError) -> TokenResponse in
                try await self.requestToken(assertion)
            }
        }
        let expires = now().addingTimeInterval(TimeInterval(response.expiresIn))
        credentials.accessToken = response.accessToken
        credentials.accessTokenExpiry = expires
        try await save(credentials)
        token = (response.accessToken, expires)
        tokensMinted += 1
        return response.accessToken
    }

    /// One `POST` to the token endpoint, the parameters as a form body (RFC 6749 §4.4.2).
    private func requestToken(_ assertion: Assertion) async throws(ABMClientError) -> TokenResponse {
        let request = TokenRequest(
            clientID: account.clientID, clientAssertion: assertion.compact, scope: account.service.scope)
        let response = try await perform(
            HTTPRequest(
                method: "POST", url: account.tokenURL,
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                body: Data(request.form.utf8)))
        guard response.status == 200 else {
            throw ABMClientError(
                tokenStatus: response.status, body: response.body, retryAfter: retrier.retryAfter(response))
        }
        return try decode(TokenResponse.self, from: response, url: account.tokenURL)
    }

    /// A signed assertion and whether it was made just now.
    private struct Assertion {
        var compact: String
        var isNew: Bool
    }

    /// The cached assertion while it has `assertionRenewal` left, else a new one, put in
    /// `credentials`.
    private func usableAssertion(_ credentials: inout ABMCachedCredentials) throws(ABMClientError) -> Assertion {
        let date = now()
        if let compact = credentials.assertion, let expiry = credentials.assertionExpiry,
            expiry.timeIntervalSince(date) > options.assertionRenewal
        {
            return Assertion(compact: compact, isNew: false)
        }
        let issued = Int64(date.timeIntervalSince1970.rounded(.down))
        let expires = issued + Int64(options.assertionLifetime)
        let claims = ClientAssertionClaims(
            clientID: account.clientID, issuedAt: issued, expiresAt: expires, id: UUID().uuidString)
        do {
            let input = try JWT.signingInput(header: JWT.Header(kid: account.keyID), claims: claims)
            let compact = JWT.compact(signingInput: input, signature: try ES256.sign(Data(input.utf8), with: key))
            credentials.assertion = compact
            credentials.assertionExpiry = Date(timeIntervalSince1970: TimeInterval(expires))
            assertionsSigned += 1
            return Assertion(compact: compact, isNew: true)
        } catch {
            throw .malformedResponse(
                url: account.tokenURL, reason: "the client assertion could not be signed: \(error)")
        }
    }

    /// Drops access token `bearer` here and in the store, so the next call mints another.
    private func forgetToken(_ bearer: String) async throws(ABMClientError) {
        if token?.value == bearer { token = nil }
        guard var credentials = try await cached(), credentials.accessToken == bearer else { return }
        credentials.accessToken = nil
        credentials.accessTokenExpiry = nil
        try await save(credentials)
    }

    private func cached() async throws(ABMClientError) -> ABMCachedCredentials? {
        do {
            return try await store.abmCredentials(clientID: account.clientID)
        } catch {
            throw .store("\(error)")
        }
    }

    private func save(_ credentials: ABMCachedCredentials) async throws(ABMClientError) {
        do {
            try await store.storeABMCredentials(credentials)
        } catch {
            throw .store("\(error)")
        }
    }
}
