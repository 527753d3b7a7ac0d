public import DEPCrypto
public import DEPSync
public import DEPWire
public import FakeDEPServer
public import Foundation
import Synchronization

/// A test's way into Apple's Business/School Manager API on a `TestServer`: an API account made
/// through the portal, a client assertion signed with its key, a token from the token endpoint.
extension TestServer {
    /// A bearer token for the `/v1/` API of world `world` (this view's world when `nil`), from a
    /// new API account of `service`: what a test of a `/v1/` route starts with.
    public func abmAccessToken(service: ABMService = .business, world: String? = nil) async throws -> String {
        let view = world.map { inWorld($0) } ?? self
        let account = try await view.createAPIAccount(name: "Tests \(service.rawValue)", service: service)
        let response = try await view.requestAccessToken(
            TokenRequest(
                clientID: account.clientID, clientAssertion: try await view.clientAssertion(for: account),
                scope: service.scope))
        guard response.status == 200 else { throw ABMCallFailure(response: response, expected: "an access token") }
        return try DEPJSON.decode(TokenResponse.self, from: response.body).accessToken
    }

    /// Creates an API account through this view's portal; the answer holds its private key.
    public func createAPIAccount(name: String, service: ABMService = .business, keyFormat: APIAccountKeyFormat = .apple)
        async throws -> CreatedAPIAccount
    {
        var body: [UInt8] = []
        DEPJSON.appendString(name, to: &body)
        let json =
            #"{"name":\#(String(decoding: body, as: UTF8.self)),"service":"\#(service.rawValue)","key_format":"\#(keyFormat.rawValue)"}"#
        let response = try await portal("POST", "/api-accounts", body: Data(json.utf8), contentType: "application/json")
        guard response.status == 201 else { throw ABMCallFailure(response: response, expected: "a new API account") }
        return try DEPJSON.decode(CreatedAPIAccount.self, from: response.body)
    }

    /// A client assertion for `account`, signed with its key (or `key`), issued at this view's
    /// world time; `change` edits the header and claims before signing, for tests of refusals.
    public func clientAssertion(
        for account: CreatedAPIAccount, key: ECPrivateKey? = nil,
        change: (inout JWT.Header, inout ClientAssertionClaims) -> Void = { _, _ in }
    ) async throws -> String {
        try await clientAssertion(
            clientID: account.clientID, keyID: account.keyID, key: try key ?? ECPrivateKey(pem: account.privateKey),
            change: change)
    }

    /// A client assertion as `clientID` with key `keyID`, signed with `key`, issued at this
    /// view's world time and valid a day; `change` edits the header and claims before signing.
    public func clientAssertion(
        clientID: String, keyID: String, key: ECPrivateKey,
        change: (inout JWT.Header, inout ClientAssertionClaims) -> Void = { _, _ in }
    ) async throws -> String {
        let now = try await worldTime().unixSecondsValue
        var header = JWT.Header(kid: keyID)
        var claims = ClientAssertionClaims(
            clientID: clientID, issuedAt: now, expiresAt: now + 86_400, id: UUID().uuidString)
        change(&header, &claims)
        let input = try JWT.signingInput(header: header, claims: claims)
        return JWT.compact(signingInput: input, signature: try ES256.sign(Data(input.utf8), with: key))
    }

    /// Posts `request` to the token endpoint: as a form body to the v2 path, or, with
    /// `inQuery`, in the query string of the path without `v2` (as Apple's curl does).
    public func requestAccessToken(_ request: TokenRequest, inQuery: Bool = false) async throws -> HTTPResponse {
        if inQuery {
            return try await http.send(HTTPRequest(method: "POST", url: baseURL + "/auth/oauth2/token?" + request.form))
        }
        return try await http.send(
            HTTPRequest(
                method: "POST", url: baseURL + "/auth/oauth2/v2/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data(request.form.utf8)))
    }

    /// A bearer token of this view's world for the `/v1/` API, from one API account per world
    /// kept for the server's life; `renew` mints a new one (after a clock advance expired it).
    public func abmBearer(renew: Bool = false) async throws -> String {
        let world = worldID
        if !renew, let token = abmCredentials.token(world: world) { return token }
        let account: CreatedAPIAccount
        if let kept = abmCredentials.account(world: world) {
            account = kept
        } else {
            account = try await createAPIAccount(name: "Tests")
        }
        let response = try await requestAccessToken(
            TokenRequest(
                clientID: account.clientID, clientAssertion: try await clientAssertion(for: account),
                scope: account.service.scope))
        guard response.status == 200 else { throw ABMCallFailure(response: response, expected: "an access token") }
        let token = try DEPJSON.decode(TokenResponse.self, from: response.body).accessToken
        abmCredentials.keep(account, token: token, world: world)
        return token
    }

    /// The id of the world this view talks to.
    public var worldID: String {
        portalPrefix == "/portal" ? WorldRegistry.defaultID : String(portalPrefix.split(separator: "/")[2])
    }

    /// The business time of this view's world, from its clock route.
    public func worldTime() async throws -> Date {
        let response = try await send("GET", "/_fakedep/worlds/\(worldID)/clock")
        guard response.status == 200 else { throw ABMCallFailure(response: response, expected: "the world's clock") }
        return try DEPJSON.decode(ClockReading.self, from: response.body).now
    }
}

/// The API account and latest access token of each world of a `TestServer`.
final class ABMCredentials: Sendable {
    private let kept = Mutex<[String: (account: CreatedAPIAccount, token: String)]>([:])

    func token(world: String) -> String? { kept.withLock { $0[world]?.token } }
    func account(world: String) -> CreatedAPIAccount? { kept.withLock { $0[world]?.account } }
    func keep(_ account: CreatedAPIAccount, token: String, world: String) {
        kept.withLock { $0[world] = (account, token) }
    }
}

/// An answer of the ABM surfaces that a test helper did not expect.
public struct ABMCallFailure: Error, CustomStringConvertible {
    public let response: HTTPResponse
    public let expected: String

    public var description: String { "expected \(expected), got \(response.status): \(response.text)" }
}

extension Date {
    fileprivate var unixSecondsValue: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
}
