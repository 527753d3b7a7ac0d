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

    /// The service's URL when none is given or remembered (ARCHITECTURE.md's contract).
    public static let defaultBaseURL = "http://127.0.0.1:8080"
    /// The state directory when none is given.
    public static let defaultStateDirectory = "./depsync-state"

    /// Creates a configuration; the defaults are the contract of ARCHITECTURE.md.
    public init(baseURL: String = defaultBaseURL, stateDirectory: String = defaultStateDirectory) {
        self.baseURL = baseURL
        self.stateDirectory = stateDirectory
    }

    public var userAgent: String { "depsync/\(Self.version)" }
}
