import DEPSync
import DEPTestServer
import DEPWire
import Foundation
import Testing

@testable import FakeDEPServer

/// A state-changing request that a browser says came from another origin's page is refused with
/// 403 on the portal, test control and web pages, and changes nothing; the pages' own requests
/// and programs' requests (no `Origin`) pass, and Apple's surfaces do not look.
struct OriginGuardTests {
    static let foreign: [[(name: String, value: String)]] = [
        [("Origin", "http://127.0.0.1:9")], [("Origin", "http://attacker.example")], [("Origin", "null")],
        [("Origin", "file://")], [("Sec-Fetch-Site", "cross-site")], [("Sec-Fetch-Site", "same-site")],
    ]

    @Test(arguments: foreign.indices)
    func aPortalActionFromAnotherOriginIsRefused(headers: Int) async throws {
        try await TestServer.with { server in
            let response = try await server.send(
                "POST", "/portal/servers", json: #"{"name":"Forged"}"#, headers: Self.foreign[headers])
            let problem = try PortalProblem(response)
            #expect(problem.status == 403, "\(Self.foreign[headers]): \(problem)")
            #expect(problem.error == "CROSS_SITE_REQUEST")
            #expect(try await server.world.listServers().isEmpty)
        }
    }

    @Test func aControlActionFromAnotherOriginIsRefused() async throws {
        try await TestServer.with { server in
            let world = try await WorldTests.createWorld(server, seed: #"{"devices":1}"#)
            let response = try await server.send(
                "DELETE", "/_fakedep/worlds/\(world)", headers: [("Origin", "http://localhost:3000")])
            #expect(try PortalProblem(response).status == 403)
            #expect(try await SnapshotTests.worldIDs(server).contains(world))
        }
    }

    @Test func readingFromAnotherOriginIsNotAnAction() async throws {
        try await TestServer.with { server in
            let response = try await server.send("GET", "/portal/servers", headers: [("Origin", "http://elsewhere")])
            #expect(response.status == 200)
        }
    }

    @Test func thePagesOwnOriginIsAnswered() async throws {
        try await TestServer.with { server in
            let response = try await server.send(
                "POST", "/portal/servers", json: #"{"name":"Mine"}"#,
                headers: [("Origin", server.baseURL), ("Sec-Fetch-Site", "same-origin")])
            #expect(response.status == 201, "\(response.text)")
        }
    }

    @Test func applesDEPAPIDoesNotLookAtOrigin() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            let response = try await server.send(
                "POST", "/server/devices", json: #"{"limit":10}"#,
                headers: [
                    (DEPHeader.authSession, linked.session.token), (DEPHeader.protocolVersion, "10"),
                    ("Origin", "http://attacker.example"), ("Sec-Fetch-Site", "cross-site"),
                ])
            #expect(response.status == 200, "\(response.text)")
        }
    }

    @Test(
        arguments: [
            ("http://localhost:8080", "localhost:8080", true), ("http://LOCALHOST:8080", "localhost:8080", true),
            ("http://localhost", "localhost:80", true), ("https://fakedep.example", "fakedep.example", true),
            ("http://localhost:8081", "localhost:8080", false), ("http://127.0.0.1:8080", "localhost:8080", false),
            ("null", "localhost:8080", false), ("ftp://localhost:8080", "localhost:8080", false),
        ] as [(String, String, Bool)])
    func anOriginIsTheRequestsOwnWhenSchemeHostAndPortAgree(origin: String, authority: String, same: Bool) {
        #expect(OriginGuard.isSameOrigin(origin, as: authority) == same)
    }
}
