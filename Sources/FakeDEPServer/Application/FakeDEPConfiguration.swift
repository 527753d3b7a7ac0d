import Foundation

/// How a `fakedep` server is set up: where it listens, where it keeps its state, and the
/// behaviour knobs of its world.
public struct FakeDEPConfiguration: Sendable {
    /// The address to listen on (`127.0.0.1` by default).
    public var host: String
    /// The port to listen on; `0` picks a free one.
    public var port: Int
    /// The SQLite file, or `:memory:`.
    public var databasePath: String
    /// Seed the default organisation from the mock data when the store is empty.
    public var seedMockData: Bool
    public var world: World.Settings
    /// Timeouts, the connection cap and the body size cap.
    public var http: HTTPLimits
    /// Where worlds made through `/_fakedep/worlds` keep their stores (and are found again after a
    /// restart); `nil` keeps them in memory.
    public var worldsDirectory: String?
    /// How many requests each world's journal keeps (its counters count them all); 0 keeps no
    /// journal, so requests cost nothing to record and the journal routes answer `JOURNAL_OFF`.
    public var journalSize: Int
    /// Names besides the loopback ones and `host` that the portal, test control and the web pages
    /// answer to: what a proxy or DNS reaches the server by (`--public-host`).
    public var publicHosts: [String] = []
    /// Serve HTTPS, with a certificate of fakedep's own authority or the user's; `nil` serves
    /// plain HTTP.
    public var tls: ServerTLS?
    /// A scenario to set the default world up with (its store must be empty; no mock data).
    public var scenario: Scenario?

    /// Creates a configuration; the defaults are the contract of ARCHITECTURE.md.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, databasePath: String = "./fakedep.sqlite",
        seedMockData: Bool = true,
        world: World.Settings = World.Settings(), http: HTTPLimits = HTTPLimits(), worldsDirectory: String? = nil,
        journalSize: Int = 10_000
    ) {
        self.journalSize = journalSize
        self.worldsDirectory = worldsDirectory
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.seedMockData = seedMockData
        self.world = world
        self.http = http
    }
}

extension FakeDEPConfiguration {
    /// The host names the portal, test control and the web pages answer to: with TLS, the names
    /// of the certificate served join them.
    func serverNames(identity: TLSIdentity? = nil) -> ServerNames {
        ServerNames(boundHost: host, publicHosts: publicHosts, certificateNames: identity?.names ?? [])
    }

    /// The certificate and key to serve HTTPS with (`tls`), issued or read now; `nil` for HTTP.
    public func tlsIdentity() throws(TLSError) -> TLSIdentity? {
        try tls?.identity(hosts: [host] + publicHosts)
    }
}
