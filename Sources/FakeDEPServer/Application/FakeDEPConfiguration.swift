/// How a `fakedep` server is set up: where it listens and where it keeps its state.
public struct FakeDEPConfiguration: Sendable {
    /// The address to listen on (`127.0.0.1` by default).
    public var host: String
    /// The port to listen on; `0` picks a free one.
    public var port: Int
    /// The SQLite file, or `:memory:`.
    public var databasePath: String

    /// Creates a configuration; the defaults are the contract of ARCHITECTURE.md.
    public init(host: String = "127.0.0.1", port: Int = 8080, databasePath: String = "./fakedep.sqlite") {
        self.host = host
        self.port = port
        self.databasePath = databasePath
    }
}
