import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Worlds: isolated fake Apples in one server, made and dropped through `/_fakedep/worlds`, each
/// reached by its credentials on Apple's surfaces and by its prefix on the portal.
struct WorldTests {
    @Test func aWorldIsCreatedListedShownAndDeleted() async throws {
        try await TestServer.with { server in
            let created = try await server.send("POST", "/_fakedep/worlds", json: #"{"name":"first test"}"#)
            #expect(created.status == 201)
            let world = try DEPJSON.decode(WorldSummary.self, from: created.body)
            #expect(world.name == "first test")
            #expect(world.seed == .mock)
            #expect(world.id.wholeMatch(of: /w[0-9a-f]{12}/) != nil)

            let listed = try DEPJSON.decode(
                [WorldSummary].self, from: try await server.send("GET", "/_fakedep/worlds").body)
            #expect(listed.map(\.id) == ["default", world.id])
            #expect(try await server.send("GET", "/_fakedep/worlds/\(world.id)").status == 200)

            #expect(try await server.send("DELETE", "/_fakedep/worlds/\(world.id)").status == 204)
            let gone = try PortalProblem(try await server.send("GET", "/_fakedep/worlds/\(world.id)"))
            #expect(gone.status == 404)
            #expect(
                try PortalProblem(try await server.send("GET", "/_fakedep/worlds/\(world.id)/portal/servers")).status
                    == 404)
        }
    }

    @Test func theDefaultWorldCannotBeDeleted() async throws {
        try await TestServer.with { server in
            let problem = try PortalProblem(try await server.send("DELETE", "/_fakedep/worlds/default"))
            #expect(problem.status == 400)
            #expect(try await server.send("GET", "/portal/organisation").status == 200)
        }
    }

    @Test(arguments: [
        (#"{"seed":"mock"}"#, 82, true), (#"{"seed":{"devices":30,"seed":5}}"#, 30, true),
        (#"{"seed":"empty"}"#, 0, true),
        (#"{"seed":"none"}"#, 0, false), ("", 82, true),
    ])
    func aWorldStartsFromItsSeed(body: String, devices: Int, hasOrganisation: Bool) async throws {
        try await TestServer.with { server in
            let created = try await server.send("POST", "/_fakedep/worlds", json: body.isEmpty ? nil : body)
            let world = server.inWorld(try DEPJSON.decode(WorldSummary.self, from: created.body).id)
            #expect(try await world.portalSerials().count == devices)
            #expect(try await world.portal("GET", "/organisation").status == (hasOrganisation ? 200 : 404))
        }
    }

    @Test(arguments: [
        #"{"seed":"lots"}"#, #"{"seed":{"devices":0}}"#, #"{"seed":{"devices":"x"}}"#, #"{"name":"a\u0000b"}"#, "[1]",
    ])
    func aBadWorldIsRefusedAndNoneIsMade(body: String) async throws {
        try await TestServer.with { server in
            let problem = try PortalProblem(try await server.send("POST", "/_fakedep/worlds", json: body))
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_REQUEST")
            let listed = try DEPJSON.decode(
                [WorldSummary].self, from: try await server.send("GET", "/_fakedep/worlds").body)
            #expect(listed.map(\.id) == ["default"])
        }
    }

    @Test func aWorldsPortalChangesOnlyThatWorld() async throws {
        try await TestServer.with { server in
            let world = server.inWorld(try await Self.createWorld(server))
            try await world.createPortalServer("Only Here")
            #expect(
                try await world.portalValue([MDMServerSummary].self, "GET", "/servers").map(\.name) == ["Only Here"])
            #expect(try await server.portalValue([MDMServerSummary].self, "GET", "/servers").isEmpty)
        }
    }

    @Test func credentialsReachTheirOwnWorldAndCursorsStayThere() async throws {
        try await TestServer.with { server in
            let id = try await Self.createWorld(server, seed: #"{"devices":20,"seed":9}"#)
            let world = server.inWorld(id)
            let inWorld = try await EnrolledServer.makeThroughPortal(world, name: "World MDM")
            let inDefault = try await EnrolledServer.makeThroughPortal(server, name: "Default MDM")
            let worldSerials = try await world.portalSerials()
            _ = try await world.assign(Array(worldSerials.prefix(5)), to: "World MDM")
            _ = try await server.assign(Array(try await server.portalSerials().prefix(3)), to: "Default MDM")

            let worldSession = try await DEPSession(server, inWorld)
            let defaultSession = try await DEPSession(server, inDefault)
            let worldPage = try await worldSession.decode(
                FetchDeviceResponse.self, "POST", "/server/devices", json: #"{"limit":2}"#)
            #expect(Set((worldPage.devices ?? []).map(\.serialNumber)).isSubset(of: Set(worldSerials)))
            let defaultPage = try await defaultSession.decode(
                FetchDeviceResponse.self, "POST", "/server/devices", json: "{}")
            #expect((defaultPage.devices ?? []).count == 3)

            // A cursor of one world is foreign to another, as Apple refuses any foreign cursor.
            let cursor = worldPage.cursor
            let foreign = try await defaultSession.call("POST", "/server/devices", json: #"{"cursor":"\#(cursor)"}"#)
            #expect(foreign.status == 400)
            #expect(foreign.text == "INVALID_CURSOR")
            let rest = try await worldSession.decode(
                FetchDeviceResponse.self, "POST", "/server/devices", json: #"{"cursor":"\#(cursor)"}"#)
            #expect((worldPage.devices ?? []).count + (rest.devices ?? []).count == 5)
        }
    }

    @Test func resettingAWorldEmptiesItBackToItsSeedAndLeavesOthersAlone() async throws {
        try await TestServer.with { server in
            let id = try await Self.createWorld(server)
            let world = server.inWorld(id)
            let enrolled = try await EnrolledServer.makeThroughPortal(world, name: "Gone Soon")
            let session = try await DEPSession(server, enrolled)
            try await server.createPortalServer("Stays")
            let before = try await server.portalSerials()

            let reset = try await server.send("POST", "/_fakedep/worlds/\(id)/reset")
            #expect(reset.status == 200)
            #expect(try DEPJSON.decode(WorldSummary.self, from: reset.body).id == id)
            #expect(try await world.portalValue([MDMServerSummary].self, "GET", "/servers").isEmpty)
            #expect(try await world.portalSerials().count == 82)
            #expect(try await session.call("GET", "/account").status == 401)
            #expect(try await server.portalValue([MDMServerSummary].self, "GET", "/servers").map(\.name) == ["Stays"])
            #expect(try await server.portalSerials() == before)
        }
    }

    /// Creates a world and returns its id.
    static func createWorld(_ server: TestServer, seed: String? = nil) async throws -> String {
        let body = seed.map { #"{"seed":\#($0)}"# }
        let created = try await server.send("POST", "/_fakedep/worlds", json: body)
        guard created.status == 201 else { throw PortalCallFailure(response: created, expected: "a new world") }
        return try DEPJSON.decode(WorldSummary.self, from: created.body).id
    }
}
