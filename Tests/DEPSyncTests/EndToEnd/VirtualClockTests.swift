import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// depsync over libcurl against a world whose clock moves on while the agent is away: the agent's
/// own clock stays real, as an MDM's machine clock does; only Apple's business time moves.
struct VirtualClockTests {
    @Test func aCursorOutlivedInTheWorldsTimeIsReplacedByAFullFetchThatReconciles() async throws {
        try await TestServer.with { server in
            let id = try await Self.createWorld(server)
            let world = server.inWorld(id)
            try await MDMHarness.with(world, name: "Clock MDM") { mdm in
                try await mdm.enrol()
                let free = try await Self.serials(world, "status=unassigned")
                let serials = Array(free.prefix(20))
                try await mdm.assignByCSV(serials)
                let first = try await mdm.agent.sync()
                #expect(first.fullFetch && first.changes.added == 20)

                // Seven days on, the cursor is as old as a cursor may be: still a plain sync.
                _ = try await Self.advance(server, id, "P7D")
                let weekLater = try await mdm.agent.sync()
                #expect(!weekLater.fullFetch && weekLater.cursorResets == 0)

                // Away a week and a second, while one device leaves and another arrives.
                try await mdm.unassign([serials[0]])
                try await mdm.assignByCSV([free[20]])
                let moved = try await Self.advance(server, id, "P7DT1S")
                #expect(moved.now == TestServer.start.addingTimeInterval(14 * 86_400 + 1))
                #expect(server.clock.now == TestServer.start)
                let recovered = try await mdm.agent.sync()
                #expect(recovered.cursorResets == 1)
                #expect(recovered.fullFetch)
                #expect(recovered.changes.removed == 1)
                #expect(recovered.changes.added == 1)
                #expect(try await mdm.agent.store.events(of: serials[0]).last?.source == "reconcile")
                let assigned = try await Self.serials(world, "server=Clock%20MDM")
                #expect(try await mdm.storedSerials() == Set(assigned))
                #expect(Set(assigned) == Set(serials.dropFirst() + [free[20]]))

                // The default world's clock did not move.
                let untouched = try await server.send("GET", "/_fakedep/worlds/default/clock")
                #expect(try DEPJSON.decode(ClockReading.self, from: untouched.body).now == TestServer.start)
            }
        }
    }

    /// Advances world `id`'s clock by an ISO 8601 duration.
    private static func advance(_ server: TestServer, _ id: String, _ duration: String) async throws -> ClockAdvance {
        let response = try await server.send(
            "POST", "/_fakedep/worlds/\(id)/clock/advance", json: #"{"by":"\#(duration)"}"#)
        guard response.status == 200 else { throw PortalFailure(response: response) }
        return try DEPJSON.decode(ClockAdvance.self, from: response.body)
    }

    /// The serials the portal of the world `server` talks to lists for `query`.
    private static func serials(_ server: TestServer, _ query: String) async throws -> [String] {
        let page = try await server.portal(
            "GET", "/devices?limit=1000&\(query)", body: nil, contentType: "application/json")
        guard page.status == 200 else { throw PortalFailure(response: page) }
        return try DEPJSON.decode(DevicePage.self, from: page.body).devices.map(\.serialNumber)
    }

    /// Creates a world of 40 generated devices and returns its id.
    private static func createWorld(_ server: TestServer) async throws -> String {
        let created = try await server.send("POST", "/_fakedep/worlds", json: #"{"seed":{"devices":40,"seed":3}}"#)
        guard created.status == 201 else { throw PortalFailure(response: created) }
        return try DEPJSON.decode(WorldSummary.self, from: created.body).id
    }
}
