import DEPCrypto
import DEPSync
import DEPWire
import FakeDEPServer
import Foundation
import Logging

/// A real `fakedep` on a free loopback port, with a clock the test moves, started and stopped
/// around one test body.
struct TestServer: Sendable {
    let world: World
    let clock: ManualTimeSource
    let baseURL: String
    let http: HTTPClient

    /// The time every test world starts at.
    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    /// Runs `body` against a fresh server seeded with the mock organisation; `databasePath`
    /// defaults to an in-memory store.
    static func with<T: Sendable>(
        databasePath: String = ":memory:", clock: ManualTimeSource = ManualTimeSource(TestServer.start),
        settings: World.Settings = World.Settings(), seed: Bool = true,
        _ body: @Sendable (TestServer) async throws -> T
    ) async throws -> T {
        let world = try await World(databasePath: databasePath, clock: clock, settings: settings)
        if seed { try await world.seedMockOrganisationIfEmpty() }
        let configuration = FakeDEPConfiguration(
            host: "127.0.0.1", port: 0, databasePath: databasePath, world: settings)
        var logger = Logger(label: "fakedep-test")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let running = Task {
            try await runServer(world: world, configuration: configuration, logger: logger) { continuation.yield($0) }
        }
        defer { running.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        let server = TestServer(
            world: world, clock: clock, baseURL: "http://127.0.0.1:\(port)",
            http: HTTPClient(userAgent: "fakedep-tests/1.0"))
        let result = try await body(server)
        running.cancel()
        _ = await running.result
        return result
    }

    /// Sends a request to the server.
    func send(
        _ method: String, _ path: String, json: String? = nil, headers: [(name: String, value: String)] = []
    ) async throws -> HTTPResponse {
        var headers = headers
        if json != nil { headers.append(("Content-Type", DEPHeader.jsonContentType)) }
        return try await http.send(
            HTTPRequest(method: method, url: baseURL + path, headers: headers, body: json.map { Data($0.utf8) }))
    }
}

/// An MDM server made through the world, with its key pair and decrypted token: what an MDM
/// holds after importing its `.p7m`.
struct EnrolledServer: Sendable {
    let name: String
    let uuid: String
    let tokens: OAuthTokens

    /// Creates a server with a fresh key pair and downloads and decrypts its token.
    static func make(_ server: TestServer, name: String = "Test MDM", mayDisown: Bool = false) async throws
        -> EnrolledServer
    {
        let key = try PrivateKey.generateRSA()
        let certificate = try Certificate.selfSigned(key: key, commonName: "deptokens", days: 1)
        let summary = try await server.world.createServer(
            name: name, certificate: try certificate.der, mayDisown: mayDisown)
        let tokens = try await downloadTokens(server, name: name, key: key, certificate: certificate)
        return EnrolledServer(name: name, uuid: summary.uuid, tokens: tokens)
    }

    /// Downloads a new token and opens it, as an MDM's import does.
    static func downloadTokens(_ server: TestServer, name: String, key: PrivateKey, certificate: Certificate)
        async throws -> OAuthTokens
    {
        let token = try await server.world.downloadToken(name)
        let envelope = try SMIMEEnvelope.unwrap(token.contents)
        let message = try EnvelopedData.decrypt(Data(envelope), key: key, certificate: certificate)
        return try TokenMessage.parse(Array(message))
    }

    /// A signed `Authorization` header for `GET /session` at the server's current time.
    func authorization(_ server: TestServer, nonce: String = UUID().uuidString, at date: Date? = nil) throws -> String {
        try tokens.sessionAuthorization(baseURL: server.baseURL, timestamp: date ?? server.clock.now, nonce: nonce)
    }

    /// Opens a session and returns its token.
    func openSession(_ server: TestServer) async throws -> String {
        let response = try await server.send("GET", "/session", headers: [("Authorization", try authorization(server))])
        guard response.status == 200 else { throw DEPError(status: response.status, body: response.text) }
        return try DEPJSON.decode(SessionResponse.self, from: response.body).authSessionToken
    }
}

/// A session on the DEP API: sends calls with `X-ADM-Auth-Session` and a protocol version.
struct DEPSession: Sendable {
    let server: TestServer
    let token: String
    var version = 10

    init(_ server: TestServer, _ enrolled: EnrolledServer, version: Int = 10) async throws {
        self.server = server
        self.token = try await enrolled.openSession(server)
        self.version = version
    }

    /// Sends a DEP call; the response is returned whatever its status.
    func call(_ method: String, _ path: String, json: String? = nil) async throws -> HTTPResponse {
        try await server.send(
            method, path, json: json,
            headers: [(DEPHeader.authSession, token), (DEPHeader.protocolVersion, String(version))])
    }

    /// Sends a DEP call that must succeed and decodes its answer.
    func decode<T: Decodable>(_ type: T.Type, _ method: String, _ path: String, json: String? = nil) async throws -> T {
        let response = try await call(method, path, json: json)
        guard response.status == 200 else { throw DEPError(status: response.status, body: response.text) }
        return try DEPJSON.decode(type, from: response.body)
    }
}
