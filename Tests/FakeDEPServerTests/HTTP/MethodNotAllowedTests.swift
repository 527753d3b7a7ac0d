import DEPSync
import DEPTestServer
import DEPWire
import Foundation
import Testing

@testable import FakeDEPServer

/// A method a path does not take is 405 with `Allow` on every surface, in the surface's own
/// words, whatever the method (the contract test sends `TRACE`); an address of no route stays 404.
struct MethodNotAllowedTests {
    @Test(arguments: [
        ("TRACE", "/account", "GET"),
        ("GET", "/profile/devices", "POST, PUT, DELETE"),
        ("HEAD", "/devices/sync", "POST"),
    ])
    func onTheDEPAPIItIsAnEmpty405(method: String, path: String, allowed: String) async throws {
        try await TestServer.with { server in
            let answer = try await server.send(method, path)
            #expect(answer.status == 405)
            #expect(answer.header("Allow") == allowed)
            #expect(answer.body.isEmpty)
        }
    }

    @Test(arguments: [
        ("TRACE", "/portal/servers", "GET, POST"),
        ("PUT", "/portal/orders", "GET"),
        ("POST", "/portal/servers/Somebody", "GET, DELETE"),
        ("PATCH", "/portal/devices/C02ZZ1NULTST/cooldown", "PUT, DELETE"),
        ("GET", "/device/boot/C02ZZ1NULTST", "POST"),
        ("DELETE", "/_fakedep/health", "GET"),
        ("PATCH", "/_fakedep/worlds/default/faults", "GET, POST, DELETE"),
    ])
    func onTheJSONSurfacesItIsA405InTheirShape(method: String, path: String, allowed: String) async throws {
        try await TestServer.with { server in
            let answer = try await server.send(method, path)
            #expect(answer.status == 405, "\(answer.text)")
            #expect(answer.header("Allow") == allowed)
            #expect(answer.header("Content-Type") == "application/json")
            #expect(answer.text.contains(#""error":"METHOD_NOT_ALLOWED""#))
        }
    }

    /// The method is what is wrong, whatever the body: not 415 for a form sent with it.
    @Test func itComesBeforeTheChecksOfTheBody() async throws {
        try await TestServer.with { server in
            let answer = try await server.send(
                "TRACE", "/portal/servers/Somebody/certificate",
                headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(answer.status == 405)
            #expect(answer.header("Allow") == "PUT")
        }
    }

    @Test func onTheABMAPIItIsApplesErrorResponse() async throws {
        try await TestServer.with { server in
            let answer = try await server.send("PUT", "/v1/orgDevices")
            #expect(answer.status == 405)
            #expect(answer.header("Allow") == "GET")
            let errors = try DEPJSON.decode(ErrorResponse.self, from: answer.body).errors
            #expect(errors.map(\.code) == ["METHOD_NOT_ALLOWED"])
        }
    }

    @Test func anAddressOfNoRouteIsStillNotFound() async throws {
        try await TestServer.with { server in
            let nowhere = try await server.send("TRACE", "/no/such/thing")
            let tooDeep = try await server.send("GET", "/portal/servers/a/b/c/d")
            // A route's own 404 (no such activity log) is not turned into a 405.
            let noLog = try await server.send("GET", "/activity-logs/nothing.txt")
            #expect(nowhere.status == 404 && tooDeep.status == 404 && noLog.status == 404)
        }
    }
}
