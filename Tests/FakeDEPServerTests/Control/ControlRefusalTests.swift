import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Every control route refuses what it cannot do with a JSON error, and changes nothing.
struct ControlRefusalTests {
    /// Each route that names a world, as method, path after the world and body.
    static let worldRoutes: [(String, String, String?)] = [
        ("GET", "", nil), ("DELETE", "", nil), ("POST", "/reset", nil), ("GET", "/snapshot", nil),
        ("GET", "/clock", nil), ("PUT", "/clock", #"{"now":"2030-01-01T00:00:00Z"}"#),
        ("POST", "/clock/advance", #"{"by":"P1D"}"#), ("POST", "/clock/freeze", nil), ("POST", "/clock/unfreeze", nil),
        ("GET", "/journal", nil), ("GET", "/journal/count", nil), ("POST", "/journal/wait", #"{"timeout_seconds":0}"#),
        ("DELETE", "/journal", nil), ("GET", "/portal/servers", nil), ("POST", "/device/boot/C02XL0GHJGH5", nil),
    ]

    @Test(arguments: worldRoutes.indices)
    func everyRouteOfAnUnknownWorldIsAJSONNotFound(route: Int) async throws {
        let (method, path, body) = Self.worldRoutes[route]
        try await TestServer.with { server in
            let problem = try PortalProblem(
                try await server.send(method, "/_fakedep/worlds/wnosuchworld0\(path)", json: body))
            #expect(problem.status == 404, "\(method) \(path): \(problem)")
            #expect(problem.error == "NOT_FOUND")
            #expect(problem.message.contains("wnosuchworld0"))
            #expect(try await SnapshotTests.worldIDs(server) == ["default"])
        }
    }

    @Test(arguments: [
        ("GET", "/journal?limit=many"), ("GET", "/journal?status=9xx"), ("GET", "/journal?since=yesterday"),
        ("GET", "/journal/count?after=-1"), ("POST", "/journal/wait"), ("POST", "/clock/advance"),
        ("PUT", "/clock"),
    ])
    func badInputToAWorldsRoutesIsAJSONErrorAndChangesNothing(method: String, path: String) async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Kept")
            _ = try await server.portal("GET", "/orders")
            let countBefore = try await server.send("GET", "/_fakedep/worlds/default/journal/count").text
            let clockBefore = try await server.send("GET", "/_fakedep/worlds/default/clock").text
            // The body, where one is read, is not the JSON the route takes.
            let problem = try PortalProblem(
                try await server.send(method, "/_fakedep/worlds/default\(path)", json: #"{"count":"x","by":[]}"#))
            #expect(problem.status == 400, "\(method) \(path): \(problem)")
            #expect(try await server.send("GET", "/_fakedep/worlds/default/journal/count").text == countBefore)
            #expect(try await server.send("GET", "/_fakedep/worlds/default/clock").text == clockBefore)
            #expect(try await server.portalValue([MDMServerSummary].self, "GET", "/servers").map(\.name) == ["Kept"])
        }
    }

    @Test func anUnknownControlPathIsAJSONNotFound() async throws {
        try await TestServer.with { server in
            let problem = try PortalProblem(try await server.send("GET", "/_fakedep/nothing-here"))
            #expect(problem.status == 404)
        }
    }
}
