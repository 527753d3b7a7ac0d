public import DEPSync
import DEPWire
public import FakeDEPServer
public import Foundation
import Logging
import ServiceLifecycle

/// A real `fakedep` on a free loopback port, with a clock the test moves, started and stopped
/// around one test body.
public struct TestServer: Sendable {
    public let world: World
    public let clock: ManualTimeSource
    public let baseURL: String
    public let http: HTTPClient
    /// Where the portal of the world this value talks to is: `/portal` for the default world.
    public private(set) var portalPrefix = "/portal"

    /// The time every test world starts at.
    public static let start = Date(timeIntervalSince1970: 1_780_000_000)

    /// Runs `body` against a fresh server seeded with the mock organisation; `databasePath`
    /// defaults to an in-memory store, `http` to the limits `fakedep serve` has, `journalSize` to
    /// its journal (0: none).
    public static func with<T: Sendable>(
        databasePath: String = ":memory:", clock: ManualTimeSource = ManualTimeSource(TestServer.start),
        settings: World.Settings = World.Settings(), seed: Bool = true, http: HTTPLimits = .patient,
        journalSize: Int = 10_000, _ body: @Sendable (TestServer) async throws -> T
    ) async throws -> T {
        let running = try await RunningServer.start(
            databasePath: databasePath, clock: clock, settings: settings, seed: seed, http: http,
            journalSize: journalSize)
        do {
            let result = try await body(running.server)
            await running.stop()
            return result
        } catch {
            await running.stop()
            throw error
        }
    }

    /// The port it listens on.
    public var port: Int { Int(baseURL.split(separator: ":").last!)! }

    /// Sends a portal request with raw bytes.
    public func portal(_ method: String, _ path: String, body: Data?, contentType: String) async throws
        -> HTTPResponse
    {
        try await http.send(
            HTTPRequest(
                method: method, url: baseURL + portalPrefix + path, headers: [("Content-Type", contentType)],
                body: body))
    }

    /// The same server, with its portal calls going to world `id`'s portal
    /// (`/_fakedep/worlds/{id}/portal`); `world` stays the default world.
    public func inWorld(_ id: String) -> TestServer {
        var view = self
        view.portalPrefix = "/_fakedep/worlds/\(id)/portal"
        return view
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
public final class RunningServer: Sendable {
    public let server: TestServer
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(server: TestServer, group: ServiceGroup, task: Task<Void, any Error>) {
        self.server = server
        self.group = group
        self.task = task
    }

    /// Starts a server over `databasePath` (seeded with the mock organisation when empty and
    /// `seed`), on `port` or a free one, holding connections to `http`, each world's journal
    /// keeping `journalSize` entries (0: no journal).
    public static func start(
        databasePath: String = ":memory:", clock: ManualTimeSource = ManualTimeSource(TestServer.start),
        settings: World.Settings = World.Settings(), seed: Bool = true, port: Int = 0,
        http: HTTPLimits = .patient, journalSize: Int = 10_000
    ) async throws -> RunningServer {
        let world = try await World(databasePath: databasePath, clock: clock, settings: settings)
        if seed { try await world.seedMockOrganisationIfEmpty() }
        let configuration = FakeDEPConfiguration(
            host: "127.0.0.1", port: port, databasePath: databasePath, world: settings, http: http,
            journalSize: journalSize)
        var logger = Logger(label: "fakedep-test")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(world: world, configuration: configuration, logger: logger) {
            continuation.yield($0)
        }
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            task.cancel()
            _ = await task.result
            throw CancellationError()
        }
        let server = TestServer(
            world: world, clock: clock, baseURL: "http://127.0.0.1:\(bound)",
            http: HTTPClient(userAgent: "fakedep-tests/1.0"))
        return RunningServer(server: server, group: group, task: task)
    }

    /// The port it listens on.
    public var port: Int { server.port }

    /// Stops the server gracefully (open connections are closed once idle) and waits until it has.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

extension HTTPLimits {
    /// Limits for test servers: the server's own, but with header and idle timeouts far longer
    /// than any stall of a busy test run. A server whose connection handlers wait for a thread of
    /// the run's cooperative pool reads no request head in the meantime, and would otherwise close
    /// connections that did nothing wrong. Tests of the timeouts set their own.
    public static var patient: HTTPLimits {
        HTTPLimits(headerTimeout: .seconds(600), idleTimeout: .seconds(600))
    }

    /// `patient`, with `change` applied.
    public static func patient(_ change: (inout HTTPLimits) -> Void) -> HTTPLimits {
        var limits = patient
        change(&limits)
        return limits
    }
}
