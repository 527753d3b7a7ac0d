import DEPSync
import Foundation

/// A request as an MDM under test would send it: over DEPSync's libcurl transport.
func request(
    _ method: String, _ url: URL, path: String = "", json: String? = nil, authorization: String? = nil
) async throws -> HTTPResponse {
    var headers: [(name: String, value: String)] = json == nil ? [] : [("Content-Type", "application/json")]
    if let authorization { headers.append(("Authorization", authorization)) }
    return try await HTTPClient(userAgent: "fakedep-testing-tests/1.0").send(
        HTTPRequest(
            method: method, url: url.absoluteString + path, headers: headers, body: json.map { Data($0.utf8) }))
}
