import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import Foundation
import Hummingbird
import Testing

@testable import FakeDEPServer

/// `ABMAccessMiddleware` in front of a small `/v1/` route built here, served over the same worlds
/// as a `TestServer` whose token endpoint issues the tokens.
@Suite struct ABMAccessMiddlewareTests {
    @Test func aLiveTokenReachesTheRouteAsItsAccountUntilAnHourOfWorldTimePasses() async throws {
        try await withProbe { server, probe in
            let token = try await server.abmAccessToken()
            let answer = try await probe.get(token: token)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.text.hasPrefix("BUSINESSAPI.") && answer.text.hasSuffix(" business"))
            _ = try await server.advanceClock("PT59M59S")
            #expect(try await probe.get(token: token).status == 200)
            _ = try await server.advanceClock("PT1S")
            try await expectError(
                try await probe.get(token: token), status: 401, code: "NOT_AUTHORIZED", says: "expired")
        }
    }

    @Test func missingUnknownAndRevokedTokensAre401InApplesErrorResponse() async throws {
        try await withProbe { server, probe in
            try await expectError(try await probe.get(token: nil), status: 401, code: "NOT_AUTHORIZED", says: "Bearer")
            try await expectError(
                try await probe.get(token: "fakedep.unknown"), status: 401, code: "NOT_AUTHORIZED", says: "not one")
            let token = try await server.abmAccessToken()
            let account = try #require(
                try await server.portalValue([APIAccountSummary].self, "GET", "/api-accounts").first)
            _ = try await server.portal("DELETE", "/api-accounts/\(account.clientID)")
            try await expectError(
                try await probe.get(token: token), status: 401, code: "NOT_AUTHORIZED", says: "revoked")
        }
    }

    @Test func acceptOtherThanJSONIs406AndNoAcceptIsLetThrough() async throws {
        try await withProbe { server, probe in
            let token = try await server.abmAccessToken()
            try await expectError(
                try await probe.get(token: token, accept: "*/*"), status: 406, code: "NOT_ACCEPTABLE", says: "*/*")
            try await expectError(
                try await probe.get(token: token, accept: "application/json; charset=utf-8"), status: 406,
                code: "NOT_ACCEPTABLE", says: "charset")
            #expect(try await probe.get(token: token, accept: nil).status == 200)
        }
    }

    @Test func aTokenOfTheOtherServiceIs403() async throws {
        try await withProbe { server, probe in
            let school = try await server.abmAccessToken(service: .school)
            try await expectError(
                try await probe.get(token: school), status: 403, code: "FORBIDDEN_ERROR", says: "school")
            let atSchool = try await probe.get(token: school, host: "api-school.apple.com")
            #expect(atSchool.status == 200 && atSchool.text.hasSuffix(" school"))
            let business = try await server.abmAccessToken()
            try await expectError(
                try await probe.get(token: business, host: "api-school.apple.com"), status: 403,
                code: "FORBIDDEN_ERROR",
                says: "business")
        }
    }

    @Test func aTokenOfWorldAIsUnknownInWorldB() async throws {
        try await withProbe { server, probe in
            let a = try await WorldTests.createWorld(server)
            let b = try await WorldTests.createWorld(server)
            let token = try await server.abmAccessToken(world: a)
            #expect(try await probe.get(token: token).status == 200)
            // World B cannot be reached with A's token: selection follows the token, and no other world knows it.
            #expect(try server.worlds.world(b).issued(accessToken: token) == false)
            #expect(try server.worlds.world(WorldRegistry.defaultID).issued(accessToken: token) == false)
            let reset = try await server.send("POST", "/_fakedep/worlds/\(a)/reset")
            #expect(reset.status == 200)
            try await expectError(
                try await probe.get(token: token), status: 401, code: "NOT_AUTHORIZED", says: "not one")
        }
    }

    /// Checks an `ErrorResponse` answer, and its body against Apple's schema.
    private func expectError(_ response: DEPSync.HTTPResponse, status: Int, code: String, says: String) async throws {
        #expect(response.status == status, "\(response.text)")
        #expect(response.header("Content-Type") == "application/json")
        let body = try DEPJSON.decode(ErrorResponse.self, from: response.body)
        #expect(body.errors.count == 1)
        #expect(body.errors.first?.status == String(status) && body.errors.first?.code == code)
        #expect(body.errors.first?.detail.contains(says) == true, "\(body)")
        try SchemaValidator.validate([(schema: "abm/ErrorResponse", json: response.body)])
    }
}

/// A `/v1/_probe` route behind `ABMAccessMiddleware`, answering `<client id> <service>`.
private struct Probe {
    let url: String
    let http: HTTPClient

    func get(token: String?, accept: String? = "application/json", host: String? = nil) async throws
        -> DEPSync.HTTPResponse
    {
        var headers: [(name: String, value: String)] = []
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        // An empty value makes curl leave out its own default Accept.
        headers.append(("Accept", accept ?? ""))
        if let host { headers.append(("Host", host)) }
        return try await http.send(DEPSync.HTTPRequest(method: "GET", url: url + "/v1/_probe", headers: headers))
    }
}

/// Runs `body` with a `TestServer` and a probe server over the same worlds.
private func withProbe(_ body: @Sendable (TestServer, Probe) async throws -> Void) async throws {
    try await TestServer.with { server in
        let router = makeRouter(worlds: server.worlds, configuration: FakeDEPConfiguration())
        router.group("/v1").add(middleware: ABMAccessMiddleware()).get("_probe") { _, context -> String in
            guard let access = context.abmAccess else { return "no access" }
            return "\(access.clientID) \(access.service.rawValue)"
        }
        let (ports, bound) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: WorldSelection(worlds: server.worlds, router: router.buildResponder(), adminGuard: nil),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { bound.yield($0.localAddress?.port ?? 0) })
        let running = Task { try await app.runService() }
        defer { running.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        try await body(server, Probe(url: "http://127.0.0.1:\(port)", http: server.http))
    }
}
