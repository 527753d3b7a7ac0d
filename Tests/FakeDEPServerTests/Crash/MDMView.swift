import DEPSync
import DEPWire
import Foundation

/// What the administrator and an MDM see of a running `fakedep`: the portal's device lists and a
/// server's full DEP fetch.
enum MDMView {
    /// A page of the portal's device list, as far as these checks read it.
    private struct PortalPage: Decodable {
        struct Device: Decodable {
            var serial_number: String
        }
        var devices: [Device]
        var next: String?
    }

    /// Every serial the portal lists (of `server`, when given), in the portal's order.
    static func portalSerials(_ serve: ServeProcess, server: String?, world: String? = nil) async throws -> [String] {
        let prefix = world.map { "/_fakedep/worlds/\($0)/portal" } ?? "/portal"
        let filter = server.map { "&server=\(escape($0))" } ?? ""
        var serials: [String] = []
        var after: String?
        repeat {
            let page = try JSONDecoder().decode(
                PortalPage.self,
                from: try await serve.expect(
                    200, "GET", prefix + "/devices?limit=1000\(filter)" + (after.map { "&after=\($0)" } ?? "")))
            serials += page.devices.map(\.serial_number)
            after = page.next
        } while after != nil
        return serials
    }

    /// Downloads a token of `server` through the portal, opens it with `keyPair` and opens a DEP
    /// session; returns the headers a DEP call carries.
    static func openSession(_ serve: ServeProcess, server: String, keyPair: TokenKeyPair) async throws
        -> [(name: String, value: String)]
    {
        let token = try await serve.expect(200, "GET", "/portal/servers/\(escape(server))/token")
        let tokens = try TokenImport.open(token, with: keyPair)
        let authorization = try tokens.sessionAuthorization(
            baseURL: serve.url, timestamp: Date(), nonce: UUID().uuidString)
        let session = try DEPJSON.decode(
            SessionResponse.self,
            from: try await serve.expect(200, "GET", "/session", headers: [("Authorization", authorization)]))
        return [(DEPHeader.authSession, session.authSessionToken), (DEPHeader.protocolVersion, "10")]
    }

    /// Every serial `server`'s full DEP fetch returns (`/server/devices` paged to the end), in
    /// the order fetched, repeats kept.
    static func fetchedSerials(_ serve: ServeProcess, server: String, keyPair: TokenKeyPair) async throws -> [String] {
        let session = try await openSession(serve, server: server, keyPair: keyPair)
        var serials: [String] = []
        var cursor: String?
        while true {
            let request = try DEPJSON.encodeString(FetchDeviceRequest(cursor: cursor, limit: 1000))
            let page = try DEPJSON.decode(
                FetchDeviceResponse.self,
                from: try await serve.expect(200, "POST", "/server/devices", body: Data(request.utf8), headers: session)
            )
            serials += (page.devices ?? []).map(\.serialNumber)
            cursor = page.cursor
            if !page.moreToFollow { return serials }
        }
    }

    /// `text` percent-encoded for a path segment or query value.
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
