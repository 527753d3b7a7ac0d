/// Sends one HTTP request and returns the response, whatever its status: libcurl in the agent,
/// a scripted stand-in in unit tests.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

extension HTTPClient: HTTPTransport {}
