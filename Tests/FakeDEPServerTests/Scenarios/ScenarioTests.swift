import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Scenario documents: a world set up in one JSON document, the shipped ones included, and
/// refused by the path of the field at fault.
struct ScenarioTests {
    @Test(arguments: Scenario.shippedNames)
    func everyShippedScenarioSetsUpAWorldAndAResetSetsItUpAgain(name: String) async throws {
        try await TestServer.with { server in
            let document = try Scenario.shipped(name)
            #expect(document.description?.isEmpty == false)
            #expect(document.expect?.isEmpty == false)
            let id = try await Self.create(server, try document.json())
            let world = server.inWorld(id)
            let servers = try await world.portalValue([MDMServerSummary].self, "GET", "/servers")
            #expect(servers.map(\.name) == ["Test MDM"])
            #expect(servers.map(\.deviceCount) == [40])
            #expect(try await world.portalSerials().count == 60)
            #expect(try await FaultRuleTests.list(server, world: id).count == document.faults.count)

            try await world.createPortalServer("Extra")
            _ = try await server.send("DELETE", "/_fakedep/worlds/\(id)/faults")
            #expect(try await server.send("POST", "/_fakedep/worlds/\(id)/reset").status == 200)
            #expect(try await world.portalValue([MDMServerSummary].self, "GET", "/servers").map(\.name) == ["Test MDM"])
            #expect(try await FaultRuleTests.list(server, world: id).count == document.faults.count)
        }
    }

    @Test func aScenariosTokenLifetimeAndClockApplyToTheTokensItHandsOut() async throws {
        try await TestServer.with { server in
            let id = try await Self.create(
                server,
                Data(
                    #"{"inventory":"empty","token_lifetime":"P20D","servers":[{"name":"Test MDM"}],"clock":{"advance":"P3D","frozen":true}}"#
                        .utf8))
            let world = server.inWorld(id)
            _ = try await EnrolledServer.enrolThroughPortal(world, existing: "Test MDM")
            let summary = try #require(
                try await world.portalValue([MDMServerSummary].self, "GET", "/servers").first)
            let issued = try #require(summary.tokenIssued)
            #expect(issued == TestServer.start.addingTimeInterval(3 * 86_400))
            #expect(summary.tokenExpiry == issued.addingTimeInterval(20 * 86_400))
            #expect(try await server.send("GET", "/_fakedep/worlds/\(id)/clock").text.contains(#""frozen":true"#))
        }
    }

    @Test func theFlakyNetworkFailsEachPageTwiceThenAnswers() async throws {
        try await TestServer.with { server in
            let id = try await Self.create(server, try Scenario.shipped("flaky-network").json())
            let world = server.inWorld(id)
            let session = try await DEPSession(
                server, try await EnrolledServer.enrolThroughPortal(world, existing: "Test MDM"))
            // libcurl itself retries a request whose reused connection was reset before any answer,
            // so the server's journal, not the client, counts the calls.
            var answered = 0
            while answered < 3 {
                if let response = try? await session.call("POST", "/server/devices", json: #"{"limit":15}"#),
                    response.status == 200
                {
                    answered += 1
                }
            }
            let entries = try await JournalTests.journal(server, world: id, query: "operation=fetch_devices").entries
            #expect(entries.map(\.status) == [0, 0, 200, 503, 503, 200, 429, 429, 200])
        }
    }

    @Test(arguments: [
        (#"{"servrs":[]}"#, "servrs is not a field"),
        (#"{"servers":[{"name":"A","devices":500}]}"#, "servers[0].devices asks for 500 devices"),
        (#"{"servers":[{"name":"A"},{"name":"a"}]}"#, "servers[1].name repeats"),
        (#"{"servers":[{"devices":2}]}"#, "servers[0].name is missing"),
        (#"{"servers":[{"name":"A","certificate":"not a pem"}]}"#, "servers[0] cannot be"),
        (#"{"servers":[{"name":"A","devices":["NOSUCHSERIAL"]}]}"#, "servers[0].devices names NOSUCHSERIAL"),
        (#"{"servers":[{"name":"A","colour":"red"}]}"#, "servers[0].colour is not a field"),
        (#"{"faults":[{"latency":{"ms":1}},{"operation":"fetch","error":{"status":503}}]}"#, "faults[1]"),
        (#"{"faults":[{"transport":null}]}"#, "faults[0]"),
        (#"{"faults":[{"error":null}]}"#, "faults[0]"),
        (#"{"faults":[{"latency":7}]}"#, "faults[0]"),
        (#"{"clock":{"advance":"soon"}}"#, "clock.advance is an ISO 8601 duration"),
        (#"{"inventory":"lots"}"#, "inventory is not a seed"),
        (#"{"terms_signed":"yes"}"#, "terms_signed is not true or false"),
        (#"{"token_lifetime":-5}"#, "token_lifetime is an ISO 8601 duration"),
        (#"[]"#, "document is not an object"),
    ])
    func aBadScenarioIsRefusedByThePathOfItsFieldAndNoWorldIsMade(body: String, says: String) async throws {
        try await TestServer.with { server in
            let problem = try PortalProblem(
                try await server.send("POST", "/_fakedep/worlds", json: #"{"scenario":\#(body)}"#))
            #expect(problem.status == 400, "\(problem)")
            #expect(problem.message.contains(says), "\(problem)")
            #expect(try await SnapshotTests.worldIDs(server) == ["default"])
        }
    }

    @Test func aWorldHasASeedOrAScenarioNotBoth() async throws {
        try await TestServer.with { server in
            let problem = try PortalProblem(
                try await server.send("POST", "/_fakedep/worlds", json: #"{"seed":"mock","scenario":{}}"#))
            #expect(problem.status == 400)
            #expect(problem.message.contains("not both"))
        }
    }

    /// Makes a world from a scenario document and returns its id.
    static func create(_ server: TestServer, _ document: Data) async throws -> String {
        let body = #"{"scenario":"# + String(decoding: document, as: UTF8.self) + "}"
        let created = try await server.send("POST", "/_fakedep/worlds", json: body)
        guard created.status == 201 else { throw PortalCallFailure(response: created, expected: "a scenario's world") }
        let summary = try DEPJSON.decode(WorldSummary.self, from: created.body)
        #expect(summary.seed == .scenario)
        return summary.id
    }
}
