import ArgumentParser
import DEPSync
import DEPWire
import FakeDEPServer
import Foundation

/// Talks to a running `fakedep`'s portal; every refusal becomes one clear line and a non-zero exit.
/// Over libcurl, as the agent and the device do: an `https://` fakedep is verified against the
/// system's trust store, or against `caFile` alone when given (`fakedep ca` prints the file).
struct PortalClient {
    let baseURL: String
    /// The world whose portal and device side are called; `nil` for the default world.
    var world: String? = nil
    /// How long an answer may take. Long by default: making a world of a million devices, or
    /// assigning a large CSV, takes minutes on a slow machine and is no failure.
    var timeout: TimeInterval = PortalClient.defaultTimeout
    /// The token of a server started with `--admin-token`, sent as `Authorization: Bearer`.
    var adminToken: String? = nil
    /// A PEM file of certificate authorities to trust instead of the system's.
    var caFile: String? = nil

    /// Ten minutes.
    static let defaultTimeout: TimeInterval = 600

    /// A portal refusal or an unreachable server, printed as one line.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends a request and returns the response body; throws `Failure` for any non-2xx answer.
    func send(_ method: String, _ path: String, body: Data? = nil, contentType: String = "application/json")
        async throws -> (Data, HTTPResponse)
    {
        guard let url = URL(string: baseURL.trimmingSuffix("/") + worldPath(path)), url.host != nil else {
            throw Failure(description: "\(baseURL) is not a URL.")
        }
        var options = TransportOptions()
        options.totalTimeout = timeout
        options.caFile = caFile
        // A world's snapshot or a long device list is no reason to stop.
        options.maximumResponseSize = 1 << 34
        let client = HTTPClient(userAgent: "fakedep/\(FakeDEPVersion.current)", options: options)
        var headers = body == nil ? [] : [(name: "Content-Type", value: contentType)]
        if let adminToken { headers.append((name: "Authorization", value: "Bearer " + adminToken)) }
        let response: HTTPResponse
        do {
            response = try await client.send(
                HTTPRequest(method: method, url: url.absoluteString, headers: headers, body: body))
        } catch let error as TransportError where error.code == 28 {
            throw Failure(
                description:
                    "fakedep at \(baseURL) did not answer within \(Int(timeout)) s; wait longer with --timeout.")
        } catch let error as TransportError where error.isUntrustedServer {
            throw Failure(
                description: """
                    fakedep at \(baseURL) has a certificate this client does not trust (\(error.message)); pass \
                    --ca-file with the file `fakedep ca` names (or FAKEDEP_CA_FILE).
                    """)
        } catch {
            throw Failure(description: "Cannot reach fakedep at \(baseURL): \(error). Is `fakedep serve` running?")
        }
        guard (200..<300).contains(response.status) else {
            let problem = try? JSONDecoder().decode([String: String].self, from: response.body)
            throw Failure(
                description: problem?["message"] ?? "fakedep answered \(response.status): \(response.text)")
        }
        return (response.body, response)
    }

    /// The CA file given, else `FAKEDEP_CA_FILE`, else none (the system's trust store).
    static func trusted(_ caFile: String?) -> String? {
        caFile ?? ProcessInfo.processInfo.environment["FAKEDEP_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
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
