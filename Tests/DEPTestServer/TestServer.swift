public import DEPSync
import DEPWire
public import FakeDEPServer
public import FakeDEPTesting
public import Foundation

/// A real `fakedep` on a free loopback port, with a clock the test moves, started and stopped
/// around one test body.
public struct TestServer: Sendable {
    public let world: World
    public let clock: ManualTimeSource
    public let baseURL: String
    public let http: HTTPClient
    /// Where the portal of the world this value talks to is: `/portal` for the default world.
    public private(set) var portalPrefix = "/portal"
    private let fakedep: FakeDEP
    /// The ABM API credentials of each world, shared by every view of this server.
    let abmCredentials = ABMCredentials()

    /// The time every test world starts at.
    public static let start = Date(timeIntervalSince1970: 1_780_000_000)

    /// Runs `body` against a fresh server seeded with the mock organisation; `databasePath`
    /// defaults to an in-memory store, `http` to the limits `fakedep serve` has with patient
    /// timeouts, `journalSize` to its journal (0: none), `adminToken` to none.
    public static func with<T: Sendable>(
        databasePath: String = ":memory:", clock: ManualTimeSource = ManualTimeSource(TestServer.start),
        settings: World.Settings = World.Settings(), seed: Bool = true, http: HTTPLimits = .patient,
        journalSize: Int = 10_000, adminToken: String? = nil, _ body: @Sendable (TestServer) async throws -> T
    ) async throws -> T {
        let options = FakeDEP.Options(
            storePath: databasePath, seedMockData: seed, journalSize: journalSize, clock: clock, settings: settings,
            http: http, adminToken: adminToken)
        return try await withFakeDEP(options) { fakedep in try await body(TestServer(fakedep, clock: clock)) }
    }

    /// The test's view of `fakedep`, whose worlds' base clock is `clock`.
    init(_ fakedep: FakeDEP, clock: ManualTimeSource) {
        world = fakedep.worlds.defaultWorld
        self.fakedep = fakedep
        self.clock = clock
        baseURL = fakedep.url.absoluteString
        http = HTTPClient(userAgent: "fakedep-tests/1.0")
    }

    /// The port it listens on.
    public var port: Int { Int(baseURL.split(separator: ":").last!)! }

    /// Every world it serves, for a test that serves them through a router of its own.
    public var worlds: WorldRegistry { fakedep.worlds }

    /// The server's admin token, if it was started with one.
    public var adminToken: String? { fakedep.adminToken }

    /// Sends a portal request with raw bytes, as the administrator: with the admin token when the
    /// server has one.
    public func portal(_ method: String, _ path: String, body: Data?, contentType: String) async throws
        -> HTTPResponse
    {
        var headers = [("Content-Type", contentType)]
        if let adminToken { headers.append(("Authorization", "Bearer " + adminToken)) }
        return try await http.send(
            HTTPRequest(method: method, url: baseURL + portalPrefix + path, headers: headers, body: body))
    }

    /// The same server, with its portal calls going to world `id`'s portal
    /// (`/_fakedep/worlds/{id}/portal`); `world` stays the default world.
    public func inWorld(_ id: String) -> TestServer {
        var view = self
        view.portalPrefix = "/_fakedep/worlds/\(id)/portal"
        return view
    }

    /// World `id` as Swift values: its journal's entries keep the sub-second times that the
    /// journal's JSON, in whole seconds, does not.
    public func fakeWorld(_ id: String) throws -> FakeWorld {
        try fakedep.world(id)
    }

    /// Sends a request to the server.
    public func send(
        _ method: String, _ path: String, json: String? = nil, headers: [(name: String, value: String)] = []
    ) async throws -> HTTPResponse {
        var headers = headers
        if json != nil { headers.append(("Content-Type", DEPHeader.jsonContentType)) }
        return try await http.send(
            HTTPRequest(method: method, url: baseURL + path, headers: headers, body: json.map { Data($0.utf8) }))
    }
}

/// A `fakedep` running in this process until `stop()`; a test that restarts the service starts
/// another on the same database and port.
public struct RunningServer: Sendable {
    public let server: TestServer
    private let fakedep: FakeDEP

    /// Starts a server over `databasePath` (seeded with the mock organisation when empty and
    /// `seed`), on `port` or a free one, holding connections to `http`.
    public static func start(
        databasePath: String = ":memory:", clock: ManualTimeSource = ManualTimeSource(TestServer.start),
        settings: World.Settings = World.Settings(), seed: Bool = true, port: Int = 0,
        http: HTTPLimits = .patient
    ) async throws -> RunningServer {
        let fakedep = try await FakeDEP.start(
            FakeDEP.Options(
                port: port, storePath: databasePath, seedMockData: seed, clock: clock, settings: settings, http: http))
        return RunningServer(server: TestServer(fakedep, clock: clock), fakedep: fakedep)
    }

    /// The port it listens on.
    public var port: Int { fakedep.port }

    /// Stops the server gracefully (open connections close once idle) and waits until it has.
    public func stop() async {
        await fakedep.stop()
    }
}
