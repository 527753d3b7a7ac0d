import ArgumentParser
import DEPWire
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Talks to a running `fakedep`'s portal; every refusal becomes one clear line and a non-zero exit.
struct PortalClient {
    let baseURL: String
    /// The world whose portal and device side are called; `nil` for the default world.
    var world: String? = nil
    /// How long an answer may take. Long by default: making a world of a million devices, or
    /// assigning a large CSV, takes minutes on a slow machine and is no failure.
    var timeout: TimeInterval = PortalClient.defaultTimeout
    /// The token of a server started with `--admin-token`, sent as `Authorization: Bearer`.
    var adminToken: String? = nil

    /// Ten minutes.
    static let defaultTimeout: TimeInterval = 600

    /// A portal refusal or an unreachable server, printed as one line.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends a request and returns the response body; throws `Failure` for any non-2xx answer.
    func send(_ method: String, _ path: String, body: Data? = nil, contentType: String = "application/json")
        async throws -> (Data, HTTPURLResponse)
    {
        guard let url = URL(string: baseURL.trimmingSuffix("/") + worldPath(path)) else {
            throw Failure(description: "\(baseURL) is not a URL.")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = timeout
        if body != nil { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let adminToken { request.setValue("Bearer " + adminToken, forHTTPHeaderField: "Authorization") }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch let error as URLError where error.code == .timedOut {
            throw Failure(
                description:
                    "fakedep at \(baseURL) did not answer within \(Int(timeout)) s; wait longer with --timeout.")
        } catch {
            throw Failure(
                description:
                    "Cannot reach fakedep at \(baseURL): \(error.localizedDescription). Is `fakedep serve` running?")
        }
        guard let http = response as? HTTPURLResponse else {
            throw Failure(description: "fakedep sent no HTTP answer.")
        }
        guard (200..<300).contains(http.statusCode) else {
            let problem = try? JSONDecoder().decode([String: String].self, from: data)
            throw Failure(
                description: problem?["message"]
                    ?? "fakedep answered \(http.statusCode): \(String(decoding: data, as: UTF8.self))")
        }
        return (data, http)
    }

    /// `path` in the chosen world: its portal and device side live under `/_fakedep/worlds/{id}`.
    private func worldPath(_ path: String) -> String {
        guard let world, path.hasPrefix("/portal/") || path.hasPrefix("/device/") else { return path }
        return "/_fakedep/worlds/\(Self.escape(world))" + path
    }

    /// Sends JSON and decodes the JSON answer.
    func json<T: Decodable>(_ method: String, _ path: String, body: [String: Any]? = nil, as type: T.Type) async throws
        -> T
    {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let (data, _) = try await send(method, path, body: payload)
        return try DEPJSON.decode(type, from: data)
    }

    /// The admin token to send: the `--admin-token` given, else `FAKEDEP_ADMIN_TOKEN`, the
    /// variable `fakedep serve` reads too (and which, unlike an argument, `ps` does not show).
    static func adminToken(_ option: String?) -> String? {
        let token = option ?? ProcessInfo.processInfo.environment["FAKEDEP_ADMIN_TOKEN"]
        return token?.isEmpty == false ? token : nil
    }

    /// `text` escaped for a URL path segment or query value.
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
