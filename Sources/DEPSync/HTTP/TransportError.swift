/// A request that got no HTTP response: the network, TLS or a timeout failed.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// libcurl's error code.
    public var code: Int
    /// libcurl's explanation.
    public var message: String
    /// Whether trying again later may succeed (timeouts, refused or reset connections).
    public var isTransient: Bool

    public var description: String { "network error \(code): \(message)" }
}
