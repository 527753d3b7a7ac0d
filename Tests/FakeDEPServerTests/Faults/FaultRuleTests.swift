import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Scripted faults: rules added to a world that answer in a request's place or delay it, when
/// and as often as they say, each firing named in the journal.
struct FaultRuleTests {
    @Test func failTwiceThenSucceedIsOneRule() async throws {
        try await TestServer.with { server in
            let session = try await DEPSession(server, try await EnrolledServer.make(server, name: "Flaky MDM"))
            let added = try await Self.add(
                server, #"{"operation":"fetch_devices","times":2,"error":{"status":503,"retry_after":5}}"#)
            #expect(added.id == "f1")

            for _ in 0..<2 {
                let failed = try await session.call("POST", "/server/devices", json: "{}")
                #expect(failed.status == 503)
                #expect(failed.text == "Service Unavailable")
                #expect(failed.header("Retry-After") == "5")
            }
            #expect(try await session.call("POST", "/server/devices", json: "{}").status == 200)
            // Other operations never matched.
            #expect(try await session.call("GET", "/account").status == 200)

            let listed = try await Self.list(server)
            #expect(listed.map(\.matched) == [3])
            #expect(listed.map(\.fired) == [2])
            let entries = try await JournalTests.journal(server, query: "operation=fetch_devices").entries
            #expect(
                entries.map(\.fault) == [
                    "f1: error 503 Service Unavailable Retry-After: 5",
                    "f1: error 503 Service Unavailable Retry-After: 5",
                    nil,
                ])
        }
    }

    @Test func theFirstRuleThatFiresActsAndNthAndAfterCountTheirOwnMatches() async throws {
        try await TestServer.with { server in
            let session = try await DEPSession(server, try await EnrolledServer.make(server))
            _ = try await Self.add(
                server, #"{"operation":"account","nth":2,"error":{"status":403,"code":"T_C_NOT_SIGNED"}}"#)
            _ = try await Self.add(server, #"{"method":"GET","after":3,"error":{"status":500}}"#)
            var answers: [String] = []
            for _ in 0..<5 {
                let response = try await session.call("GET", "/account")
                answers.append("\(response.status) \(response.status == 200 ? "" : response.text)")
            }
            // The second rule is checked only where the first did not fire: its fourth match is the fifth call.
            #expect(answers == ["200 ", "403 T_C_NOT_SIGNED", "200 ", "200 ", "500 Internal Server Error"])
            #expect(try await Self.list(server).map(\.matched) == [5, 4])
        }
    }

    @Test func aSeededProbabilityGivesTheSameFaultsOnEveryRun() async throws {
        var runs: [[Int]] = []
        for _ in 0..<2 {
            runs.append(
                try await TestServer.with { server in
                    let session = try await DEPSession(server, try await EnrolledServer.make(server))
                    _ = try await Self.add(
                        server, #"{"operation":"account","probability":0.5,"seed":42,"error":{"status":429}}"#)
                    var statuses: [Int] = []
                    for _ in 0..<24 { statuses.append(try await session.call("GET", "/account").status) }
                    return statuses
                })
        }
        #expect(runs[0] == runs[1])
        #expect(Set(runs[0]) == [200, 429])
    }

    @Test func aRuleForOneServerLeavesAnotherAlone() async throws {
        try await TestServer.with { server in
            let first = try await DEPSession(server, try await EnrolledServer.make(server, name: "First"))
            let second = try await DEPSession(server, try await EnrolledServer.make(server, name: "Second"))
            _ = try await Self.add(server, #"{"server":"Second","error":{"status":401}}"#)
            #expect(try await first.call("GET", "/account").status == 200)
            let refused = try await second.call("GET", "/account")
            #expect(refused.status == 401)
            #expect(refused.text == "UNAUTHORIZED")
        }
    }

    @Test func latencyDelaysTheUsualAnswer() async throws {
        try await TestServer.with { server in
            let session = try await DEPSession(server, try await EnrolledServer.make(server))
            _ = try await Self.add(server, #"{"operation":"account","latency":{"ms":300,"jitter_ms":50}}"#)
            #expect(try await session.call("GET", "/account").status == 200)
            let entry = try #require(try await JournalTests.journal(server, query: "operation=account").entries.first)
            #expect(entry.durationMs >= 300)
            #expect(entry.fault?.hasPrefix("f1: latency 300 ms ± 50") == true)
        }
    }

    @Test func aRuleRetiresAfterItsTTLOfWorldTime() async throws {
        try await TestServer.with { server in
            let session = try await DEPSession(server, try await EnrolledServer.make(server))
            _ = try await Self.add(server, #"{"operation":"account","ttl":"PT1H","error":{"status":503}}"#)
            #expect(try await session.call("GET", "/account").status == 503)
            _ = try await server.send("POST", "/_fakedep/worlds/default/clock/advance", json: #"{"by":"PT1H"}"#)
            let renewed = try await DEPSession(server, try await EnrolledServer.make(server, name: "Later"))
            #expect(try await renewed.call("GET", "/account").status == 200)
            #expect(try await Self.list(server).map(\.retired) == [true])
        }
    }

    @Test func aPortalFaultAnswersInThePortalsShape() async throws {
        try await TestServer.with { server in
            _ = try await Self.add(server, #"{"operation":"portal_list_servers","error":{"status":503,"code":"DOWN"}}"#)
            let problem = try PortalProblem(try await server.portal("GET", "/servers"))
            #expect(problem.status == 503)
            #expect(problem.error == "DOWN")
            #expect(problem.message.contains("f1"))
            #expect(try await server.portal("GET", "/orders").status == 200)
        }
    }

    @Test func rulesAreRemovedOneOrAllAndAResetDropsThem() async throws {
        try await TestServer.with { server in
            _ = try await Self.add(server, #"{"error":{"status":500}}"#)
            _ = try await Self.add(server, #"{"latency":{"ms":1}}"#)
            #expect(try await server.send("DELETE", "/_fakedep/worlds/default/faults/f1").status == 204)
            #expect(try await Self.list(server).map(\.id) == ["f2"])
            let unknown = try PortalProblem(try await server.send("DELETE", "/_fakedep/worlds/default/faults/f9"))
            #expect(unknown.status == 404)
            #expect(try await server.send("DELETE", "/_fakedep/worlds/default/faults").status == 204)
            #expect(try await Self.list(server).isEmpty)

            _ = try await Self.add(server, #"{"error":{"status":500}}"#)
            _ = try await server.send("POST", "/_fakedep/worlds/default/reset")
            #expect(try await Self.list(server).isEmpty)
            #expect(try await server.portal("GET", "/orders").status == 200)
        }
    }

    @Test(arguments: [
        (#"{"operation":"fetch_devices","error":{"status":503},"tims":2}"#, "no field \"tims\""),
        (#"{"operation":"fetch_device","error":{"status":503}}"#, "\"fetch_device\" is not one of"),
        (#"{"operation":"account","explode":{}}"#, "no field \"explode\""),
        (#"{"operation":"account"}"#, "it has none"),
        (#"{"error":{"status":503},"latency":{"ms":1}}"#, "error and latency"),
        (#"{"times":-1,"error":{"status":503}}"#, "times is 1 or more"),
        (#"{"nth":0,"error":{"status":503}}"#, "nth counts from 1"),
        (#"{"after":-2,"error":{"status":503}}"#, "after is 0 or more"),
        (#"{"nth":1,"times":2,"error":{"status":503}}"#, "nth goes alone"),
        (#"{"error":{"status":200}}"#, "from 400 to 599, not 200"),
        (#"{"error":{"status":600}}"#, "from 400 to 599, not 600"),
        (#"{"error":{"status":503,"retry_after":-1}}"#, "retry_after"),
        (#"{"error":{"status":503,"cod":"X"}}"#, "no field \"cod\""),
        (#"{"probability":1.5,"error":{"status":503}}"#, "probability is above 0"),
        (#"{"seed":3,"error":{"status":503}}"#, "seed goes with a probability"),
        (#"{"ttl":"soon","error":{"status":503}}"#, "ttl"),
        (#"{"latency":{"ms":-5}}"#, "from 0 to 600000"),
        (#"{"method":"get","error":{"status":503}}"#, "in capitals"),
        (#"[1]"#, "not the JSON"),
        (#"{"transport":"explode"}"#, "not \"explode\""),
        (#"{"transport":{"cut_after":-1}}"#, "cut_after is 0 bytes or more"),
        (#"{"transport":{"cut":1}}"#, "no field \"cut\""),
    ])
    func aBadRuleIsRefusedByNameAndNothingIsAdded(body: String, says: String) async throws {
        try await TestServer.with { server in
            let problem = try PortalProblem(
                try await server.send("POST", "/_fakedep/worlds/default/faults", json: body))
            #expect(problem.status == 400, "\(problem)")
            #expect(problem.error == "INVALID_REQUEST")
            #expect(problem.message.contains(says), "\(problem)")
            #expect(try await Self.list(server).isEmpty)
        }
    }

    /// Adds a rule to the default world.
    static func add(_ server: TestServer, _ rule: String, world: String = "default") async throws -> FaultListing {
        let response = try await server.send("POST", "/_fakedep/worlds/\(world)/faults", json: rule)
        guard response.status == 201 else { throw PortalCallFailure(response: response, expected: "a new fault rule") }
        return try DEPJSON.decode(FaultListing.self, from: response.body)
    }

    static func list(_ server: TestServer, world: String = "default") async throws -> [FaultListing] {
        try DEPJSON.decode(
            [FaultListing].self, from: try await server.send("GET", "/_fakedep/worlds/\(world)/faults").body)
    }
}
