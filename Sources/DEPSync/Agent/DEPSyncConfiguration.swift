/// How the `depsync` agent is set up: which DEP service it talks to and where it keeps state.
public struct DEPSyncConfiguration: Sendable {
    /// The agent's version, sent in its `User-Agent` (`depsync/<version>`).
    public static let version = "0.1.0"

    /// The base URL of the DEP service (`https://mdmenrollment.apple.com` or a `fakedep`).
    public var baseURL: String
    /// The directory holding the key pair, the token and the local store.
    public var stateDirectory: String
    /// Sent as `X-Server-Protocol-Version`.
    public var protocolVersion = 10
    /// Timeouts and TLS.
    public var transport = TransportOptions()
    public var retry = RetryPolicy()

    /// Creates a configuration; the defaults are the contract of ARCHITECTURE.md.
    public init(baseURL: String = "http://127.0.0.1:8080", stateDirectory: String = "./depsync-state") {
        self.baseURL = baseURL
        self.stateDirectory = stateDirectory
    }

    public var userAgent: String { "depsync/\(Self.version)" }
}
