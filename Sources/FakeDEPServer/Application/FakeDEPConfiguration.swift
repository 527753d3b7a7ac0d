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
    /// The token the portal, test control and the web pages ask for (`--admin-token`); `nil`
    /// leaves them open, as suits a server on loopback.
    public var adminToken: AdminToken?
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

    /// What to warn of when the server listens beyond loopback with its portal, test control
    /// and web pages open to anyone who reaches it; `nil` when it does not.
    public var exposureWarning: String? {
        guard adminToken == nil, !Self.isLoopback(host) else { return nil }
        return """
            warning: fakedep listens on \(host) without an admin token: anyone who reaches it can read and change \
            every world through the portal, test control and web pages. Start it with --admin-token \
            (FAKEDEP_ADMIN_TOKEN), or listen on 127.0.0.1.
            """
    }

    /// Whether `host` is reached only from this machine: `localhost`, `127.0.0.0/8` or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        let host = ServerNames.split(authority: host).host
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
