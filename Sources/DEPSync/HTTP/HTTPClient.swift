import Dispatch
import Foundation

/// The agent's HTTP transport over libcurl: one easy handle kept alive between requests, gzip,
/// timeouts, TLS options and the proxy from the environment (libcurl reads `https_proxy` and
/// friends itself).
///
/// `curl_easy_perform` blocks, so it runs on a serial dispatch queue of its own and is awaited;
/// it never occupies a thread of the cooperative pool (STYLE.md rule 11).
public final class HTTPClient: Sendable {
    private let queue = DispatchQueue(label: "depsync.http")
    /// Used only on `queue`.
    private let handle: CurlHandle
    /// Sent on every request.
    public let userAgent: String

    public init(userAgent: String, options: TransportOptions = TransportOptions()) {
        self.userAgent = userAgent
        handle = CurlHandle(options: options)
    }

    /// Sends `request` and returns the response, whatever its status.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [handle, userAgent] in
                continuation.resume(with: Result { try handle.perform(request, userAgent: userAgent) })
            }
        }
    }
}
