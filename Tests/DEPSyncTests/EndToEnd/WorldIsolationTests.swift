import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Two MDMs with tokens of two worlds sync in parallel against one fakedep, over libcurl: each
/// sees exactly its own world's devices, and resetting one world leaves the other untouched.
struct WorldIsolationTests {
    @Test func twoWorldsSyncInParallelAndAResetTouchesOnlyItsOwn() async throws {
        try await TestServer.with { server in
            let secondID = try await Self.createWorld(server, seed: #"{"devices":300,"seed":1}"#)
            let first = server.inWorld(try await Self.createWorld(server, seed: #"{"devices":400,"seed":1}"#))
            let second = server.inWorld(secondID)
            try await MDMHarness.with(first, name: "First MDM") { one in
                try await MDMHarness.with(second, name: "Second MDM") { two in
                    try await one.enrol()
                    try await two.enrol()
                    // The same generator seed: the worlds hold the same serials, as two
                    // organisations could not, and still each MDM sees only its own world's.
                    let firstSerials = Array(try await Self.serials(first).prefix(250))
                    let secondSerials = Array(try await Self.serials(second).prefix(120))
                    try await one.assignByCSV(firstSerials)
                    try await two.assignByCSV(secondSerials)

                    async let firstRound = one.agent.sync(Syncer.Options(limit: 20))
                    async let secondRound = two.agent.sync(Syncer.Options(limit: 20))
                    let (a, b) = try await (firstRound, secondRound)
                    #expect(a.changes.added == 250)
                    #expect(b.changes.added == 120)
                    #expect(try await one.storedSerials() == Set(firstSerials))
                    #expect(try await two.storedSerials() == Set(secondSerials))

                    let reset = try await server.send("POST", "/_fakedep/worlds/\(secondID)/reset")
                    #expect(reset.status == 200)
                    try await one.unassign([firstSerials[0]])
                    let after = try await one.agent.sync()
                    #expect(!after.fullFetch)
                    #expect(after.changes.removed == 1)
                    #expect(try await one.storedSerials() == Set(firstSerials.dropFirst()))
                    #expect(try await Self.servers(first) == ["First MDM"])
                    #expect(try await Self.servers(second).isEmpty)
                }
            }
        }
    }

    /// The first 1000 serials of the world `server` talks to.
    private static func serials(_ server: TestServer) async throws -> [String] {
        let page = try await server.portal("GET", "/devices?limit=1000", body: nil, contentType: "application/json")
        return try DEPJSON.decode(DevicePage.self, from: page.body).devices.map(\.serialNumber)
    }

    /// The names of the MDM servers of the world `server` talks to.
    private static func servers(_ server: TestServer) async throws -> [String] {
        let list = try await server.portal("GET", "/servers", body: nil, contentType: "application/json")
        return try DEPJSON.decode([MDMServerSummary].self, from: list.body).map(\.name)
    }

    /// Creates a world and returns its id.
    private static func createWorld(_ server: TestServer, seed: String) async throws -> String {
        let created = try await server.send("POST", "/_fakedep/worlds", json: #"{"seed":\#(seed)}"#)
        guard created.status == 201 else { throw PortalFailure(response: created) }
        return try DEPJSON.decode(WorldSummary.self, from: created.body).id
    }
}
