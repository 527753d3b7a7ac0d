public import DEPWire
import Foundation
import GRDB

extension World {
    /// `GET /account` (dep-api §3.1): the server and its organisation, with the endpoints
    /// available to it and their page-size limits.
    public func account(session: String?, version: ProtocolVersion) async throws -> AccountDetail {
        let server = try await server(forSession: session)
        let organisation = try await store.read { db in try self.organisation(db) }
        let pageLimit = PageLimit(default: settings.defaultLimit, maximum: settings.maximumLimit)
        let urls = [
            EndpointURL(uri: "/session", httpMethod: ["GET"]),
            EndpointURL(uri: "/account", httpMethod: ["GET"]),
            EndpointURL(uri: "/server/devices", httpMethod: ["POST"], limit: pageLimit),
            EndpointURL(uri: "/devices/sync", httpMethod: ["POST"], limit: pageLimit),
            EndpointURL(uri: "/devices", httpMethod: ["POST"]),
            EndpointURL(uri: "/devices/disown", httpMethod: ["POST"]),
            EndpointURL(uri: "/profile", httpMethod: ["POST", "GET"]),
            EndpointURL(uri: "/profile/devices", httpMethod: ["POST", "PUT", "DELETE"]),
            EndpointURL(uri: "/device/activationlock", httpMethod: ["POST"]),
            EndpointURL(uri: "/device/replacementDetails", httpMethod: ["GET"]),
            EndpointURL(uri: "/os-beta-enrollment/tokens", httpMethod: ["GET"]),
            EndpointURL(uri: "/account-driven-enrollment/profile", httpMethod: ["DELETE", "POST", "GET"]),
        ]
        return version.shaped(
            AccountDetail(
                serverName: server.name, serverUUID: server.uuid, facilitatorID: organisation.adminID,
                adminID: organisation.adminID, orgName: organisation.name, orgEmail: organisation.email,
                orgPhone: organisation.phone, orgAddress: organisation.address, orgID: organisation.orgID,
                orgIDHash: organisation.orgIDHash, urls: urls, orgType: organisation.orgType,
                orgVersion: organisation.orgVersion))
    }

    /// `GET /os-beta-enrollment/tokens` (dep-api §3.13): tokens derived from the organisation,
    /// stable across calls, one per platform.
    public func betaEnrollmentTokens(session: String?) async throws -> GetSeedBuildTokenResponse {
        _ = try await server(forSession: session)
        let organisation = try await store.read { db in try self.organisation(db) }
        let platforms = [
            ("iOS", "iOS"), ("OSX", "macOS"), ("tvOS", "tvOS"), ("visionOS", "visionOS"), ("watchOS", "watchOS"),
        ]
        let tokens = platforms.map { os, name in
            let digest = HMACSHA1.authenticationCode(for: Array("\(organisation.orgID):\(os)".utf8), key: cursorKey)
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
            // Wraps on purpose: 64 × 7 does not fit a byte.
            let token = (0..<64).map { index in
                alphabet[Int(digest[index % digest.count] &+ UInt8(truncatingIfNeeded: index * 7)) % alphabet.count]
            }
            return SeedBuildToken(
                token: String(decoding: token, as: UTF8.self), title: "\(name) AppleSeed for IT Beta", os: os)
        }
        return GetSeedBuildTokenResponse(betaEnrollmentTokens: tokens)
    }

    /// `POST /account-driven-enrollment/profile` (dep-api §3.14): an https URL is required.
    public func setServiceDiscoveryURL(session: String?, _ request: AccountDrivenEnrollmentProfileRequest) async throws
    {
        let server = try await server(forSession: session)
        guard let url = request.mdmServiceDiscoveryURL, !url.isEmpty else {
            throw DEPError(.serviceDiscoveryURLRequired)
        }
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "https",
            let host = components.host, !host.isEmpty
        else { throw DEPError(.serviceDiscoveryURLNotValid) }
        let now = self.now
        try await store.write { db in
            try db.execute(
                sql: "UPDATE servers SET ade_url = ?, ade_updated = ? WHERE id = ?", arguments: [url, now, server.id])
        }
    }

    /// `GET /account-driven-enrollment/profile`: 404 `NOT_FOUND` when none is set.
    public func serviceDiscoveryURL(session: String?) async throws -> GetAccountDrivenEnrollmentProfileResponse {
        let server = try await server(forSession: session)
        guard let url = server.serviceDiscoveryURL else { throw DEPError(.notFound) }
        return GetAccountDrivenEnrollmentProfileResponse(
            mdmServiceDiscoveryURL: url,
            lastUpdatedTimestamp: server.serviceDiscoveryUpdated.map(Date.init(unixSeconds:)))
    }

    /// `DELETE /account-driven-enrollment/profile`.
    public func removeServiceDiscoveryURL(session: String?) async throws {
        let server = try await server(forSession: session)
        try await store.write { db in
            try db.execute(
                sql: "UPDATE servers SET ade_url = NULL, ade_updated = NULL WHERE id = ?", arguments: [server.id])
        }
    }
}
