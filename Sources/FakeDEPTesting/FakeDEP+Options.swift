public import FakeDEPServer

extension FakeDEP {
    /// How a fakedep for tests is set up. Every default suits a test: a free port, a store in
    /// memory, the mock organisation in the default world.
    public struct Options: Sendable {
        /// The loopback port to listen on; 0 picks a free one. A test that restarts a server
        /// gives the port the first one had.
        public var port: Int
        /// The default world's SQLite file; `:memory:` keeps nothing once it stops.
        public var storePath: String
        /// Plant the mock organisation (Acme Corp, 82 devices in 4 orders) in the default world
        /// when its store is empty; off, the default world starts without an organisation.
        public var seedMockData: Bool
        /// How many requests each world's journal keeps (its counters count them all).
        public var journalSize: Int
        /// The base clock of every world: the machine's, or a `ManualTimeSource` the test moves.
        /// Each world's business time runs over it, moved by its own `FakeClock`.
        public var clock: any TimeSource
        /// Session lifetime, page sizes and profile strictness of every world.
        public var settings: World.Settings
        /// Timeouts, the connection cap and the body size caps.
        public var http: HTTPLimits
        /// A token the portal, test control and web pages ask for, as `fakedep serve
        /// --admin-token` sets; `nil` leaves them open. Send it as `FakeDEP.authorization`.
        public var adminToken: String?
        /// Serve HTTPS: `.localAuthority(directory:)` issues a certificate for localhost,
        /// 127.0.0.1 and Apple's hosts from an authority kept there (made on first use), which
        /// `FakeDEP.authorityFile` names for the client under test to trust; `nil` serves HTTP.
        public var tls: ServerTLS? = nil

        /// Options; see each property for what it sets.
        public init(
            port: Int = 0, storePath: String = ":memory:", seedMockData: Bool = true, journalSize: Int = 10_000,
            clock: any TimeSource = SystemTimeSource(), settings: World.Settings = World.Settings(),
            http: HTTPLimits = .patient, adminToken: String? = nil
        ) {
            self.adminToken = adminToken
            self.port = port
            self.storePath = storePath
            self.seedMockData = seedMockData
            self.journalSize = journalSize
            self.clock = clock
            self.settings = settings
            self.http = http
        }

        /// The server configuration these options make, on loopback.
        var configuration: FakeDEPConfiguration {
            var configuration = FakeDEPConfiguration(
                host: "127.0.0.1", port: port, databasePath: storePath, seedMockData: seedMockData, world: settings,
                http: http, journalSize: journalSize)
            configuration.adminToken = adminToken.flatMap(AdminToken.init)
            configuration.tls = tls
            return configuration
        }
    }
}
