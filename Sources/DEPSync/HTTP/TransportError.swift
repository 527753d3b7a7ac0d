/// A request that got no HTTP response: the network, TLS or a timeout failed.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// libcurl's error code (negative for failures outside libcurl).
    public var code: Int
    /// libcurl's explanation.
    public var message: String
    /// Whether trying again later may succeed (timeouts, refused or reset connections).
    public var isTransient: Bool
    /// For a response stopped for its size, the limit it passed, in bytes.
    public var responseSizeLimit: Int?

    public init(code: Int, message: String, isTransient: Bool, responseSizeLimit: Int? = nil) {
        self.code = code
        self.message = message
        self.isTransient = isTransient
        self.responseSizeLimit = responseSizeLimit
    }

    /// The wait before a retry was cancelled (the agent is stopping).
    public static let cancelled = TransportError(code: -2, message: "cancelled", isTransient: false)

    /// The response grew past `limit` bytes (as decoded: a gzip body counts expanded) and the
    /// transfer was stopped there. Trying again would fetch the same.
    public static func responseTooLarge(limit: Int) -> TransportError {
        TransportError(
            code: -3,
            message: "the response is larger than \(limit) bytes (TransportOptions.maximumResponseSize); "
                + "the transfer was stopped", isTransient: false, responseSizeLimit: limit)
    }

    /// The server's certificate chain or name did not verify against the trusted roots
    /// (libcurl's `CURLE_PEER_FAILED_VERIFICATION`, a stable part of its ABI).
    public var isUntrustedServer: Bool { code == 60 }

    public var description: String { "network error \(code): \(message)" }
}
