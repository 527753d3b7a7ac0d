import DEPSync
import DEPTestServer
import DEPWire
import Foundation
import Testing

@testable import FakeDEPServer

/// A server started with an admin token answers its portal, test control and a world's portal
/// only to a request with the token (`Authorization: Bearer`) or its sign-in cookie; anything
/// else is `401 UNAUTHORIZED` with `WWW-Authenticate: Bearer`. Apple's surfaces and the
/// readiness probe answer as before.
struct AdminGuardTests {
    static let token = "s3cret-admin-token"
    static let cookie = AdminToken(token)!.cookieValue

    static let guardedRoutes = ["/portal/servers", "/_fakedep/worlds", "/_fakedep/worlds/default/portal/orders"]

    @Test(arguments: guardedRoutes)
    func aRequestWithoutTheTokenIsRefused(path: String) async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let response = try await server.send("GET", path)
            let problem = try PortalProblem(response)
            #expect(problem.status == 401 && problem.error == "UNAUTHORIZED", "\(problem)")
            #expect(problem.message.contains("Authorization: Bearer"))
            #expect(response.header("WWW-Authenticate") == "Bearer")
        }
    }

    @Test(arguments: guardedRoutes)
    func aWrongTokenOrCookieIsRefused(path: String) async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            for headers in [
                [("Authorization", "Bearer " + Self.token + "x")], [("Authorization", "Bearer s3cret")],
                [("Authorization", "Basic " + Self.token)], [("Cookie", "fakedep_admin=" + Self.token)],
                [("Cookie", "fakedep_admin=" + String(Self.cookie.reversed()))],
            ] {
                let response = try await server.send("GET", path, headers: headers)
                #expect(response.status == 401, "\(headers): \(response.text)")
                #expect(response.header("WWW-Authenticate") == "Bearer")
                #expect(!response.text.contains(Self.token))
            }
        }
    }

    @Test(arguments: guardedRoutes)
    func theTokenOrTheSignInCookieIsAnswered(path: String) async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let bearer = try await server.send("GET", path, headers: [("Authorization", "Bearer " + Self.token)])
            #expect(bearer.status == 200, "\(bearer.text)")
            let cookie = try await server.send(
                "GET", path, headers: [("Cookie", "theme=dark; fakedep_admin=" + Self.cookie)])
            #expect(cookie.status == 200, "\(cookie.text)")
        }
    }

    @Test(arguments: ["/_fakedep/worlds/no-such-world/portal/orders", "/_fakedep/worlds/no-such-world/portal/servers"])
    func aWorldThatDoesNotExistIsToldOfOnlyWithTheToken(path: String) async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let refused = try await server.send("GET", path)
            #expect(refused.status == 401, "the id of a world must not be probed without the token: \(refused.text)")
            #expect(refused.header("WWW-Authenticate") == "Bearer")
            let page = try await server.send("GET", "/_fakedep/worlds/no-such-world/web/devices")
            #expect(page.status == 303)
            #expect(page.header("Location")?.hasPrefix("/web/sign-in?next=") == true)

            let told = try await server.send("GET", path, headers: [("Authorization", "Bearer " + Self.token)])
            let problem = try PortalProblem(told)
            #expect(problem.status == 404 && problem.message.contains("no-such-world"), "\(problem)")
        }
    }

    @Test func aStateChangeNeedsTheTokenAndChangesNothingWithoutIt() async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let refused = try await server.send("POST", "/portal/servers", json: #"{"name":"Unwelcome"}"#)
            #expect(refused.status == 401)
            #expect(try await server.world.listServers().isEmpty)
            let created = try await server.send(
                "POST", "/portal/servers", json: #"{"name":"Welcome"}"#,
                headers: [("Authorization", "Bearer " + Self.token)])
            #expect(created.status == 201, "\(created.text)")
        }
    }

    @Test func withoutATokenEverythingIsOpenAsBefore() async throws {
        try await TestServer.with { server in
            for path in Self.guardedRoutes + ["/", "/web/servers"] {
                let response = try await server.send("GET", path)
                #expect(response.status == 200, "\(path)")
            }
        }
    }

    @Test func theReadinessProbeStaysOpen() async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let health = try await server.send("GET", "/_fakedep/health")
            #expect(health.status == 200)
            let document = try await server.send("GET", "/_fakedep/openapi.json")
            #expect(document.status == 401)
        }
    }

    @Test func applesSurfacesKeepTheirOwnAuthentication() async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let enrolled = try await EnrolledServer.make(server, name: "Guarded MDM")
            let account = try await DEPSession(server, enrolled).call("GET", "/account")
            #expect(account.status == 200, "\(account.text)")
            let stranger = try await server.send("GET", "/account", headers: [(DEPHeader.authSession, "1O1OUNKNOWN")])
            #expect(stranger.status == 401 && stranger.header("WWW-Authenticate") == nil, "\(stranger.text)")

            let serial = try await server.freeSerials(1, family: "iPhone")[0]
            #expect(try await server.send("GET", "/device/machine-info/\(serial)").status == 200)
            let inWorld = try await server.send("GET", "/_fakedep/worlds/default/device/machine-info/\(serial)")
            #expect(inWorld.status == 200, "\(inWorld.text)")

            let abmToken = try await server.send(
                "POST", "/auth/oauth2/v2/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(abmToken.status == 400, "\(abmToken.text)")
            #expect(!abmToken.text.contains("UNAUTHORIZED"))
            let abmAPI = try await server.send("GET", "/v1/orgDevices")
            #expect(abmAPI.status == 401)
            #expect(!abmAPI.text.contains("UNAUTHORIZED"), "\(abmAPI.text)")
        }
    }

    @Test func theJournalKeepsNeitherTheTokenNorTheCookie() async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let wrong = "wrong-" + Self.token
            _ = try await server.send("GET", "/portal/servers", headers: [("Authorization", "Bearer " + Self.token)])
            _ = try await server.send("GET", "/portal/orders", headers: [("Cookie", "fakedep_admin=" + Self.cookie)])
            _ = try await server.send("GET", "/portal/orders", headers: [("Authorization", "Bearer " + wrong)])
            let journal = try await server.send(
                "GET", "/_fakedep/worlds/default/journal", headers: [("Authorization", "Bearer " + Self.token)])
            #expect(journal.status == 200)
            let listing = try JSONSerialization.jsonObject(with: journal.body) as? [String: Any]
            let entries = try #require(listing?["entries"] as? [[String: Any]])
            #expect(entries.compactMap { $0["status"] as? Int } == [200, 200, 401])
            for secret in [Self.token, Self.cookie, wrong] { #expect(!journal.text.contains(secret)) }
        }
    }
}
