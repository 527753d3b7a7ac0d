public import FakeDEPServer
public import Foundation
import Hummingbird
public import Logging
import ServiceLifecycle

/// A `fakedep` running in this process on a loopback port, for the tests of an MDM: the same
/// server as `fakedep serve` (every surface, every world, the journal, the clocks), started and
/// stopped by the test. Point the MDM's DEP base URL at `url`; give each test a world of its own
/// with `makeWorld`.
public struct FakeDEP: Sendable {
    /// Where it listens, `http://127.0.0.1:PORT` (`https://` with `Options.tls`): the base URL
    /// of Apple's DEP API for the client under test, whatever its world (its token's credentials
    /// choose the world).
    public let url: URL
    /// With `Options.tls` of fakedep's own authority, its certificate's file (PEM): what the
    /// client under test trusts (`--ca-file`, `CURLOPT_CAINFO`, `SSL_CERT_FILE`).
    public let authorityFile: String?
    /// The port it listens on.
    public let port: Int
    /// Every world it serves, for what `FakeWorld` does not cover.
    public let worlds: WorldRegistry
    /// The token its portal, test control and web pages ask for (`Options.adminToken`), if any.
    public let adminToken: String?
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    /// Starts a fakedep set up by `options` and returns once it listens. Stop it with `stop()`,
    /// or use `withFakeDEP`, which always does.
    public static func start(_ options: Options = Options(), logger: Logger = FakeDEP.quietLogger) async throws
        -> FakeDEP
    {
        let configuration = options.configuration
        let identity = try configuration.tlsIdentity()
        let worlds = try await WorldRegistry.open(configuration, clock: options.clock, logger: logger)
        let (ports, bound) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(worlds: worlds, configuration: configuration, identity: identity, logger: logger) {
            bound.yield($0)
        }
        let group = ServiceGroup(services: [app], logger: logger)
        let running = Task {
            // Ends the wait below when the server stops without ever listening (a port in use).
            defer { bound.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            // It never listened: its error says why, else the start itself was cancelled.
            await group.triggerGracefulShutdown()
            try await running.value
            throw CancellationError()
        }
        return FakeDEP(
            url: URL(string: "\(identity == nil ? "http" : "https")://127.0.0.1:\(port)")!,
            authorityFile: identity?.authorityFile, port: port, worlds: worlds,
            adminToken: configuration.adminToken == nil ? nil : options.adminToken, group: group, running: running)
    }

    private init(
        url: URL, authorityFile: String?, port: Int, worlds: WorldRegistry, adminToken: String?, group: ServiceGroup,
        running: Task<Void, any Error>
    ) {
        self.url = url
        self.authorityFile = authorityFile
        self.port = port
        self.worlds = worlds
        self.adminToken = adminToken
        self.group = group
        self.running = running
    }

    /// Stops the server gracefully (open connections close once their request is answered) and
    /// returns once the port is free. Stopping it again does nothing.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await running.result
    }

    /// The `Authorization` header a request to a world's `portalURL` or to test control needs
    /// (`Bearer` and the admin token) when the server has a token; `nil` when it has none.
    /// Apple's surfaces ignore it.
    public var authorization: String? { adminToken.map { "Bearer " + $0 } }

    /// The authority's certificate (PEM) of `authorityFile`, for a client that takes the text.
    public var authorityPEM: String? {
        get throws { try authorityFile.map { try String(contentsOfFile: $0, encoding: .utf8) } }
    }

    /// The world `default`: the one `options.storePath` holds, and the one plain `/portal/…` and
    /// `/device/…` paths reach.
    public var defaultWorld: FakeWorld { FakeWorld(id: WorldRegistry.defaultID, serverURL: url, worlds: worlds) }

    /// Makes a world of its own for a test, isolated from every other: `seed` is what it starts
    /// with, and what `reset()` brings it back to.
    public func makeWorld(name: String? = nil, seed: WorldSeed = .mock) async throws -> FakeWorld {
        let summary = try await worlds.create(name: name, seed: seed)
        return FakeWorld(id: summary.id, serverURL: url, worlds: worlds)
    }

    /// The world `id`, or `404 NOT_FOUND` when there is none.
    public func world(_ id: String) throws -> FakeWorld {
        _ = try worlds.summary(id)
        return FakeWorld(id: id, serverURL: url, worlds: worlds)
    }

    /// The logger a fakedep gets unless given one: warnings and errors only, since a line per
    /// request would drown a test run's output.
    public static var quietLogger: Logger {
        var logger = Logger(label: "fakedep")
        logger.logLevel = .warning
        return logger
    }
}
