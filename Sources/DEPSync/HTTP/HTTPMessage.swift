public import Foundation

/// An HTTP request as the agent sends it.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    /// Header lines in order; a header with an empty value is removed from what curl would send.
    public var headers: [(name: String, value: String)]
    public var body: Data?

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// An HTTP response as the agent receives it.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header lines of the final response, in order.
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name`, matched case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// How the transport talks to servers.
public struct TransportOptions: Sendable {
    /// Time allowed to connect, in seconds.
    public var connectTimeout: Double = 10
    /// Time allowed for a whole request, in seconds.
    public var totalTimeout: Double = 120
    /// A PEM file of certificate authorities to trust instead of the system's.
    public var caFile: String?
    /// DER certificates that are the *only* trust anchors, as a device trusts a profile's
    /// `anchor_certs` (dep-api §7.4): neither the system's store nor `caFile` is consulted.
    public var anchorCertificates: [Data]?
    /// Skip TLS verification (only for test servers with self-made certificates).
    public var insecure = false
    /// The largest response body read, in bytes after decoding (a gzip body counts expanded):
    /// a larger one stops the transfer with `TransportError.responseTooLarge`. 32 MiB is far
    /// above Apple's largest answer (a page of 1000 devices is under 1 MB) and far below what
    /// the machine can hold.
    public var maximumResponseSize = 32 << 20

    public init() {}
}
