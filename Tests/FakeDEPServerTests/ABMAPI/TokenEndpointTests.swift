import DEPCrypto
import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import FakeDEPTesting
import Foundation
import Testing

/// `POST /auth/oauth2/token` and `/auth/oauth2/v2/token` (peers §5.2): client credentials with an
/// ES256 client assertion, each check refused with its RFC 6749 error.
@Suite struct TokenEndpointTests {
    @Test func aFormBodyOnV2AndAQueryStringOnTheOldPathBothGetATokenJournaledWithoutSecrets() async throws {
        try await TestServer.with { server in
            let account = try await server.createAPIAccount(name: "Sync")
            let request = TokenRequest(
                clientID: account.clientID, clientAssertion: try await server.clientAssertion(for: account),
                scope: "business.api")
            let form = try await server.requestAccessToken(request)
            #expect(form.status == 200, "\(form.text)")
            #expect(form.header("Cache-Control") == "no-store")
            let token = try DEPJSON.decode(TokenResponse.self, from: form.body)
            #expect(token.tokenType == "Bearer" && token.expiresIn == 3600 && token.scope == "business.api")
            let query = try await server.requestAccessToken(
                TokenRequest(
                    clientID: account.clientID, clientAssertion: try await server.clientAssertion(for: account),
                    scope: "business.api"),
                inQuery: true)
            #expect(query.status == 200, "\(query.text)")
            #expect(try DEPJSON.decode(TokenResponse.self, from: query.body).accessToken != token.accessToken)

            let entries = try server.fakeWorld(WorldRegistry.defaultID).journal.entries().filter {
                $0.operation == "abm_token"
            }
            #expect(entries.count == 2)
            let signature = String(request.clientAssertion.split(separator: ".")[2])
            for entry in entries {
                let text = [entry.path, entry.requestBody ?? "", entry.responseBody ?? ""].joined()
                #expect(!text.contains(token.accessToken) && !text.contains(signature))
                #expect(text.contains("REDACTED"))
            }
            #expect(entries[1].path.hasPrefix("/auth/oauth2/token?grant_type=client_credentials"))
        }
    }

    /// A bad request and the error it gets.
    struct Refused: CustomTestStringConvertible, Sendable {
        var name: String
        var error: String
        var status = 401
        var says: String
        var grantType = TokenRequest.clientCredentials
        var scope = "business.api"
        var signWithOtherKey = false
        var malformed = false
        var change: @Sendable (inout JWT.Header, inout ClientAssertionClaims) -> Void = { _, _ in }
        var testDescription: String { name }
    }

    static let refusals: [Refused] = [
        Refused(name: "wrong key", error: "invalid_client", says: "signature does not verify", signWithOtherKey: true),
        Refused(name: "wrong kid", error: "invalid_client", says: "kid") { header, _ in header.kid = "other" },
        Refused(name: "wrong alg", error: "invalid_client", says: "must be ES256") { header, _ in header.alg = "RS256"
        },
        Refused(name: "wrong aud", error: "invalid_client", says: "aud") { _, claims in
            claims.aud = ["https://example.com/token"]
        },
        Refused(name: "wrong sub", error: "invalid_client", says: "sub") { _, claims in claims.sub = "BUSINESSAPI.x" },
        Refused(name: "exp more than 180 days after iat", error: "invalid_client", says: "at most 180 days") {
            _, claims in claims.exp = claims.iat + 180 * 86_400 + 1
        },
        Refused(name: "already expired", error: "invalid_client", says: "expired") { _, claims in
            claims.iat -= 7200
            claims.exp = claims.iat + 3600
        },
        Refused(name: "wrong scope", error: "invalid_scope", status: 400, says: "business.api", scope: "school.api"),
        Refused(
            name: "bad grant type", error: "unsupported_grant_type", status: 400, says: "client_credentials",
            grantType: "authorization_code"),
        Refused(name: "malformed JWT", error: "invalid_client", says: "not a JWT", malformed: true),
    ]

    @Test(arguments: refusals)
    func aBadAssertionIsRefusedSayingWhy(_ refused: Refused) async throws {
        try await TestServer.with { server in
            let account = try await server.createAPIAccount(name: "Sync")
            let key = refused.signWithOtherKey ? try ECPrivateKey.generateP256() : nil
            var assertion = try await server.clientAssertion(for: account, key: key, change: refused.change)
            if refused.malformed { assertion = "not.a-jwt" }
            let response = try await server.requestAccessToken(
                TokenRequest(
                    clientID: account.clientID, clientAssertion: assertion, scope: refused.scope,
                    grantType: refused.grantType))
            #expect(response.status == refused.status, "\(response.text)")
            let error = try DEPJSON.decode(OAuth2Error.self, from: response.body)
            #expect(error.error.rawValue == refused.error)
            #expect(error.errorDescription?.contains(refused.says) == true, "\(error)")
            let entry = try #require(try server.fakeWorld(WorldRegistry.defaultID).journal.entries().last)
            #expect(entry.operation == "abm_token" && entry.why == error.description)
        }
    }

    @Test func anAssertionIsReusableForItsLifeByDefault() async throws {
        try await TestServer.with { server in
            let account = try await server.createAPIAccount(name: "Sync")
            let request = TokenRequest(
                clientID: account.clientID, clientAssertion: try await server.clientAssertion(for: account),
                scope: "business.api")
            #expect(try await server.requestAccessToken(request).status == 200)
            #expect(try await server.requestAccessToken(request).status == 200)
        }
    }

    @Test func aReplayedAssertionAndARevokedAccountAreInvalidClients() async throws {
        var settings = World.Settings()
        settings.refusesReplayedAssertions = true
        try await TestServer.with(settings: settings) { server in
            let account = try await server.createAPIAccount(name: "Sync")
            let request = TokenRequest(
                clientID: account.clientID, clientAssertion: try await server.clientAssertion(for: account),
                scope: "business.api")
            #expect(try await server.requestAccessToken(request).status == 200)
            let replay = try await server.requestAccessToken(request)
            #expect(replay.status == 401)
            #expect(
                try DEPJSON.decode(OAuth2Error.self, from: replay.body).errorDescription?.contains("used before")
                    == true)

            _ = try await server.portal("DELETE", "/api-accounts/\(account.clientID)")
            let revoked = try await server.requestAccessToken(
                TokenRequest(
                    clientID: account.clientID, clientAssertion: try await server.clientAssertion(for: account),
                    scope: "business.api"))
            #expect(revoked.status == 401)
            #expect(
                try DEPJSON.decode(OAuth2Error.self, from: revoked.body).errorDescription?.contains("revoked") == true)
        }
    }

    @Test func anAssertionExpiresWhenTheWorldsClockPassesItsExp() async throws {
        try await TestServer.with { server in
            let account = try await server.createAPIAccount(name: "Sync")
            let assertion = try await server.clientAssertion(for: account)
            _ = try await server.advanceClock("P2D")
            let response = try await server.requestAccessToken(
                TokenRequest(clientID: account.clientID, clientAssertion: assertion, scope: "business.api"))
            #expect(response.status == 401)
            #expect(
                try DEPJSON.decode(OAuth2Error.self, from: response.body).errorDescription?.contains("expired") == true)
        }
    }

    @Test func mintingMoreThanTheLimitWithinTheWindowIs429UntilTheWindowMoves() async throws {
        var settings = World.Settings()
        settings.accessTokenMintLimit = 3
        try await TestServer.with(settings: settings) { server in
            let account = try await server.createAPIAccount(name: "Greedy")
            func mint() async throws -> HTTPResponse {
                try await server.requestAccessToken(
                    TokenRequest(
                        clientID: account.clientID, clientAssertion: try await server.clientAssertion(for: account),
                        scope: "business.api"))
            }
            for _ in 1...3 { #expect(try await mint().status == 200) }
            let refused = try await mint()
            #expect(refused.status == 429)
            #expect(refused.header("Retry-After") == "3600")
            #expect(try DEPJSON.decode(OAuth2Error.self, from: refused.body).error == .invalidRequest)
            _ = try await server.advanceClock("PT1H")
            #expect(try await mint().status == 200)
        }
    }

    @Test func missingParametersAndOtherBodiesAreInvalidRequests() async throws {
        try await TestServer.with { server in
            let missing = try await server.http.send(
                HTTPRequest(
                    method: "POST", url: server.baseURL + "/auth/oauth2/v2/token",
                    headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    body: Data("grant_type=client_credentials".utf8)))
            #expect(missing.status == 400)
            #expect(try DEPJSON.decode(OAuth2Error.self, from: missing.body).error == .invalidRequest)
            let json = try await server.send("POST", "/auth/oauth2/v2/token", json: "{}")
            #expect(json.status == 400 && json.text.contains("application/x-www-form-urlencoded"))
            let unknownClient = try await server.requestAccessToken(
                TokenRequest(clientID: "BUSINESSAPI.nobody", clientAssertion: "a.b.c", scope: "business.api"))
            #expect(unknownClient.status == 401 && unknownClient.text.contains("invalid_client"))
        }
    }

    @Test func aFaultRuleOnTheTokenEndpointAnswersInRFC6749JSONWithItsRetryAfter() async throws {
        try await TestServer.with { server in
            let account = try await server.createAPIAccount(name: "Sync")
            let rule = #"{"operation":"abm_token","times":1,"error":{"status":429,"retry_after":7}}"#
            #expect(try await server.send("POST", "/_fakedep/worlds/default/faults", json: rule).status == 201)
            let request = TokenRequest(
                clientID: account.clientID, clientAssertion: try await server.clientAssertion(for: account),
                scope: "business.api")
            let limited = try await server.requestAccessToken(request)
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "7")
            let error = try DEPJSON.decode(OAuth2Error.self, from: limited.body)
            #expect(error.error == .invalidRequest && error.errorDescription?.contains("Fault rule") == true)
            #expect(try await server.requestAccessToken(request).status == 200)

            let broken = #"{"operation":"abm_token","times":1,"error":{"status":503}}"#
            _ = try await server.send("POST", "/_fakedep/worlds/default/faults", json: broken)
            let unavailable = try await server.requestAccessToken(request, inQuery: true)
            #expect(unavailable.status == 503)
            #expect(
                try DEPJSON.decode(OAuth2Error.self, from: unavailable.body).error.rawValue == "temporarily_unavailable"
            )
        }
    }
}
