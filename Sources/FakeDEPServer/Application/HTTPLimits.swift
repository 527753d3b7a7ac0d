import Foundation

/// How much a client may take of the server: how long it may spend on a request head, how long
/// a kept-alive connection may sit idle, how many connections may be open at once and how large
/// a request body may be. The defaults suit a test fixture on a developer's machine.
public struct HTTPLimits: Sendable, Hashable {
    /// Time a client has to send a complete request head, counted from the moment it connects
    /// or, on a kept-alive connection, from the first byte of its next request. A client that
    /// trickles bytes (slowloris) is closed as surely as a silent one.
    public var headerTimeout: Duration
    /// Time a connection may wait for the client's next request after a response (or for more
    /// of a request body) before it is closed.
    public var idleTimeout: Duration
    /// Connections open at once; one more is closed as soon as it is accepted, so those already
    /// open keep being served and the process never runs out of file descriptors.
    public var maximumConnections: Int
    /// The largest request body any route accepts; a larger `Content-Length` is refused with
    /// 413 before a byte of the body is read, and a chunked body is cut off once it passes it.
    public var maximumBodySize: Int
    /// The largest CSV upload (`POST /portal/servers/{server}/devices/csv`): far above 2,000,000
    /// lines of serials, far below the machine, since the upload is kept in a file, never in memory.
    public var maximumUploadSize: Int

    /// Creates limits; see each property for what it bounds.
    public init(
        headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60),
        maximumConnections: Int = HTTPLimits.defaultMaximumConnections, maximumBodySize: Int = 64 << 20,
        maximumUploadSize: Int = 256 << 20
    ) {
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
        self.maximumBodySize = maximumBodySize
        self.maximumUploadSize = maximumUploadSize
    }

    /// 4,096, or fewer where the process may open fewer files (`defaultMaximumConnections(openFiles:)`).
    public static var defaultMaximumConnections: Int { defaultMaximumConnections(openFiles: openFileLimit) }

    /// 4,096, or fewer where `files` is lower: a few hundred descriptors stay free for the store,
    /// logs and the listening socket (1024 open files allow 768). The cap leaves room above a
    /// thousand clients for the harness's own connections, which a cap of exactly 1,000 closed.
    public static func defaultMaximumConnections(openFiles files: Int) -> Int {
        max(1, min(4096, max(files / 2, files - 256)))
    }

    /// The most connections `openFileLimit` leaves room for: beyond it, accepting a connection
    /// can fail for want of a descriptor, and SwiftNIO then retries at once, spinning a core.
    public static var safeMaximumConnections: Int { max(1, openFileLimit - 64) }

    /// The files this process may have open (the soft `RLIMIT_NOFILE`); `Int.max` if unlimited.
    public static var openFileLimit: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(clamping: limit.rlim_cur)
    }
}
