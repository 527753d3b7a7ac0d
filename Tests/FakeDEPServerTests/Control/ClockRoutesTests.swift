import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// A world's virtual clock through `/_fakedep/worlds/{id}/clock`: read, advanced, set, frozen;
/// one world's clock is its own; bad input is refused in JSON and changes nothing.
struct ClockRoutesTests {
    static let start = TestServer.start

    @Test func aWorldsClockStartsAtRealTimeAndRunsWithIt() async throws {
        try await TestServer.with { server in
            #expect(try await server.clock() == ClockReading(now: Self.start, offsetSeconds: 0, frozen: false))
            server.clock.advance(by: 30)
            #expect(try await server.clock().now == Self.start.addingTimeInterval(30))
            let answer = try await server.send("GET", "/_fakedep/worlds/default/clock")
            #expect(answer.text == #"{"now":"2026-05-28T20:27:10Z","offset_seconds":0,"frozen":false}"#)
        }
    }

    @Test func advancingOneWorldLeavesAnotherWhereItWas() async throws {
        try await TestServer.with { server in
            let first = try await WorldTests.createWorld(server)
            let second = try await WorldTests.createWorld(server)
            let moved = try await server.advanceClock("P7DT1S", world: first)
            #expect(moved.now == Self.start.addingTimeInterval(7 * 86_400 + 1))
            #expect(try await server.clock(first).offsetSeconds == 604_801)
            #expect(try await server.clock(second) == ClockReading(now: Self.start, offsetSeconds: 0, frozen: false))
            #expect(try await server.clock().now == Self.start)

            // Seconds work as well as durations, and add up.
            #expect(try await server.advanceClock(by: "59", world: second).now == Self.start.addingTimeInterval(59))
            #expect(try await server.clock(first).offsetSeconds == 604_801)

            // The default world's clock is no other world's base either.
            _ = try await server.advanceClock("P1D")
            #expect(try await server.clock(second).now == Self.start.addingTimeInterval(59))
            #expect(try await server.clock(first).offsetSeconds == 604_801)
        }
    }

    @Test func setMovesTheClockForwardToATime() async throws {
        try await TestServer.with { server in
            let set = try await server.send(
                "PUT", "/_fakedep/worlds/default/clock", json: #"{"now":"2027-01-01T00:00:00Z"}"#)
            #expect(set.status == 200)
            let target = DEPDate.parse("2027-01-01T00:00:00Z")!
            #expect(try DEPJSON.decode(ClockAdvance.self, from: set.body) == ClockAdvance(now: target, due: []))
            server.clock.advance(by: 5)
            #expect(try await server.clock().now == target.addingTimeInterval(5))
        }
    }

    @Test func aFrozenClockStandsStillUntilUnfrozenAndCanStillBeAdvanced() async throws {
        try await TestServer.with { server in
            let frozen = try await server.send("POST", "/_fakedep/worlds/default/clock/freeze")
            #expect(try DEPJSON.decode(ClockReading.self, from: frozen.body).frozen)
            server.clock.advance(by: 100)
            #expect(try await server.clock() == ClockReading(now: Self.start, offsetSeconds: -100, frozen: true))

            #expect(try await server.advanceClock("PT1H").now == Self.start.addingTimeInterval(3_600))
            server.clock.advance(by: 100)
            #expect(try await server.clock().now == Self.start.addingTimeInterval(3_600))

            let unfrozen = try await server.send("POST", "/_fakedep/worlds/default/clock/unfreeze")
            #expect(try DEPJSON.decode(ClockReading.self, from: unfrozen.body).frozen == false)
            server.clock.advance(by: 10)
            #expect(try await server.clock().now == Self.start.addingTimeInterval(3_610))
        }
    }

    /// A refused clock request: method, path under the clock, body, status and error code.
    struct BadInput: Sendable, CustomTestStringConvertible {
        var method: String
        var path: String
        var body: String
        var status: Int
        var code: String

        init(_ method: String, _ path: String, _ body: String, _ status: Int, _ code: String) {
            (self.method, self.path, self.body, self.status, self.code) = (method, path, body, status, code)
        }

        var testDescription: String { "\(method) clock\(path) \(body)" }
    }

    static let badInputs: [BadInput] = [
        BadInput("POST", "/advance", #"{"by":"P7X"}"#, 400, "INVALID_DURATION"),
        BadInput("POST", "/advance", #"{"by":"PT"}"#, 400, "INVALID_DURATION"),
        BadInput("POST", "/advance", #"{"by":"-P1D"}"#, 400, "CLOCK_BACKWARDS"),
        BadInput("POST", "/advance", #"{"by":-1}"#, 400, "CLOCK_BACKWARDS"),
        BadInput("POST", "/advance", #"{"by":1e300}"#, 400, "INVALID_REQUEST"),
        BadInput("POST", "/advance", #"{"by":true}"#, 400, "INVALID_REQUEST"),
        BadInput("POST", "/advance", #"{}"#, 400, "INVALID_REQUEST"),
        BadInput("POST", "/advance", "[]", 400, "INVALID_REQUEST"),
        BadInput("PUT", "", #"{"now":"2026-05-28T20:26:39Z"}"#, 400, "CLOCK_BACKWARDS"),
        BadInput("PUT", "", #"{"now":"2020-01-01T00:00:00Z"}"#, 400, "CLOCK_BACKWARDS"),
        BadInput("PUT", "", #"{"now":"tomorrow"}"#, 400, "INVALID_REQUEST"),
        BadInput("PUT", "", #"{"now":1780000000}"#, 400, "INVALID_REQUEST"),
    ]

    @Test(arguments: badInputs)
    func badInputIsRefusedInJSONAndChangesNothing(input: BadInput) async throws {
        try await TestServer.with { server in
            _ = try await server.advanceClock("PT40S")
            let before = try await server.clock()
            let response = try await server.send(
                input.method, "/_fakedep/worlds/default/clock" + input.path, json: input.body)
            let problem = try PortalProblem(response)
            #expect(problem.status == input.status && problem.error == input.code, "\(problem)")
            #expect(try await server.clock() == before)
        }
    }

    @Test(arguments: [("GET", ""), ("PUT", ""), ("POST", "/advance"), ("POST", "/freeze"), ("POST", "/unfreeze")])
    func anUnknownWorldsClockIsNotFound(method: String, path: String) async throws {
        try await TestServer.with { server in
            let body = method == "GET" ? nil : #"{"by":1,"now":"2030-01-01T00:00:00Z"}"#
            let problem = try PortalProblem(
                try await server.send(method, "/_fakedep/worlds/wnothere00000/clock" + path, json: body))
            #expect(problem.status == 404 && problem.error == "NOT_FOUND", "\(problem)")
            #expect(problem.message.contains("wnothere00000"))
        }
    }

    @Test func anUnknownClockActionIsAJSONNotFound() async throws {
        try await TestServer.with { server in
            let problem = try PortalProblem(try await server.send("POST", "/_fakedep/worlds/default/clock/rewind"))
            #expect(problem.status == 404, "\(problem)")
            #expect(try await server.clock().now == Self.start)
        }
    }

    @Test func aResetPutsTheWorldsClockBackAtRealTime() async throws {
        try await TestServer.with { server in
            let id = try await WorldTests.createWorld(server)
            _ = try await server.advanceClock("P30D", world: id)
            _ = try await server.send("POST", "/_fakedep/worlds/\(id)/clock/freeze")
            #expect(try await server.send("POST", "/_fakedep/worlds/\(id)/reset").status == 200)
            #expect(try await server.clock(id) == ClockReading(now: Self.start, offsetSeconds: 0, frozen: false))
        }
    }
}
