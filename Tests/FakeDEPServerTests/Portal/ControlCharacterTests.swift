import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Names and identifiers with control characters are refused at the edge: SQLite reads a bound
/// string only up to an embedded NUL, so `Victim\0anything` would otherwise act on `Victim`.
struct ControlCharacterTests {
    @Test(arguments: ["Victim%00anything", "Victim%1B%5B2J", "Victim%0A"])
    func aServerPathWithAControlCharacterIsRefusedAndTouchesNothing(path: String) async throws {
        try await TestServer.with { server in
            let victim = try await server.createPortalServer("Victim")
            let problem = try await server.portalProblem("DELETE", "/servers/\(path)")
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_REQUEST")
            #expect(try await server.portalValue([MDMServerSummary].self, "GET", "/servers") == [victim])
        }
    }

    @Test func aServerNameWithANulIsRefusedNotCut() async throws {
        try await TestServer.with { server in
            let problem = try await server.portalProblem("POST", "/servers", json: #"{"name":"New\u0000Evil"}"#)
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_REQUEST")
            #expect(try await server.portalValue([MDMServerSummary].self, "GET", "/servers").isEmpty)
        }
    }

    @Test func anOrderNumberWithANulAssignsNothing() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Alpha")
            let order = try #require(try await server.world.listOrders().first).number
            let problem = try await server.portalProblem(
                "POST", "/servers/Alpha/devices", json: #"{"order":"\#(order)\u0000"}"#)
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_REQUEST")
            #expect(try await server.portalSerials("server=Alpha").isEmpty)
        }
    }

    @Test func aServerNamedInABodyWithANulIsRefused() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Alpha")
            let problem = try await server.portalProblem(
                "POST", "/configurator/devices",
                json: #"{"serials":["C02ZZ1NULTST"],"model":"iPhone17,3","server":"Alpha\u0000x"}"#)
            #expect(problem.status == 400)
            #expect(try await server.portalSerials("server=Alpha").isEmpty)
        }
    }

    @Test func aQueryValueWithAControlCharacterIsRefused() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Alpha")
            let problem = try await server.portalProblem("GET", "/devices?server=Alpha%00x")
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_REQUEST")
        }
    }

    @Test func deviceDetailsForASerialWithANulAreRefusedNotAnsweredForAnotherDevice() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server)
            let serial = try #require(try await server.freeSerials(1).first)
            _ = try await server.world.assign(serials: [serial], to: enrolled.name)
            let session = try await DEPSession(server, enrolled)
            for path in ["/devices", "/devices/disown"] {
                let response = try await session.call("POST", path, json: #"{"devices":["\#(serial)\u0000x"]}"#)
                #expect(response.status == 400)
                #expect(response.text == "MALFORMED_REQUEST_BODY")
            }
            #expect(try await server.serials(DeviceFilter(server: enrolled.name)) == [serial])
        }
    }

    @Test func aProfileUUIDWithANulIsRefused() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server)
            let serial = try #require(try await server.freeSerials(1).first)
            _ = try await server.world.assign(serials: [serial], to: enrolled.name)
            let session = try await DEPSession(server, enrolled)
            let defined = try await session.decode(
                DefineProfileResponse.self, "POST", "/profile",
                json: #"{"profile_name":"P","url":"https://mdm.example.com/enroll"}"#)
            let response = try await session.call(
                "PUT", "/profile/devices",
                json: #"{"profile_uuid":"\#(defined.profileUUID)\u0000x","devices":["\#(serial)"]}"#)
            #expect(response.status == 400)
            #expect(response.text == "MALFORMED_REQUEST_BODY")
        }
    }
}

/// A control character in the address is refused in the words of the surface the address is on:
/// `/device/replacementDetails` is Apple's DEP API (a plain code), `/v1/` the ABM API.
struct ControlCharacterSurfaceTests {
    @Test func onTheDEPAPIsDevicePathsItIsApplesPlainCode() async throws {
        try await TestServer.with { server in
            let answer = try await server.send("GET", "/device/replacementDetails?device=A%00B")
            #expect(answer.status == 400)
            #expect(answer.header("Content-Type") == "text/plain;charset=UTF8")
            #expect(answer.text == "MALFORMED_REQUEST_BODY")
        }
    }

    @Test func onTheABMAPIItIsApplesErrorResponse() async throws {
        try await TestServer.with { server in
            let answer = try await server.send("GET", "/v1/orgDevices?fields%5BorgDevices%5D=%0A")
            #expect(answer.status == 400)
            #expect(answer.header("Content-Type") == "application/json")
            let errors = try DEPJSON.decode(ErrorResponse.self, from: answer.body).errors
            #expect(errors.map(\.status) == ["400"])
        }
    }
}
