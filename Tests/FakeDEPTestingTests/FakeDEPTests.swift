import DEPSync
import FakeDEPServer
import FakeDEPTesting
import Foundation
import Testing

/// A fakedep in this process: started on a free port or a given one, answering until stopped,
/// and always stopped by `withFakeDEP`.
struct FakeDEPTests {
    /// An error a test body throws on purpose.
    struct Planned: Error {}

    @Test func itAnswersOnAFreeLoopbackPortUntilStopped() async throws {
        let fakedep = try await FakeDEP.start()
        #expect(fakedep.port > 0)
        #expect(fakedep.url.absoluteString == "http://127.0.0.1:\(fakedep.port)")
        let health = try await request("GET", fakedep.url, path: "/_fakedep/health")
        #expect(health.status == 200)
        await fakedep.stop()

        await #expect(throws: TransportError.self) {
            try await request("GET", fakedep.url, path: "/_fakedep/health")
        }
        await fakedep.stop()
    }

    @Test func itStartsAgainOnThePortItHad() async throws {
        let first = try await FakeDEP.start()
        await first.stop()
        let second = try await FakeDEP.start(FakeDEP.Options(port: first.port))
        #expect(second.port == first.port)
        #expect(try await request("GET", second.url, path: "/_fakedep/health").status == 200)
        await second.stop()
    }

    @Test func aPortInUseFailsTheStartInsteadOfHangingIt() async throws {
        try await withFakeDEP { running in
            await #expect(throws: (any Error).self) { try await FakeDEP.start(FakeDEP.Options(port: running.port)) }
        }
    }

    @Test func theDefaultWorldHasTheMockOrganisationUnlessAskedNotTo() async throws {
        let seeded = try await withFakeDEP { fakedep in try await fakedep.defaultWorld.world.hasOrganisation() }
        #expect(seeded)
        let unseeded = try await withFakeDEP(FakeDEP.Options(seedMockData: false)) { fakedep in
            try await fakedep.defaultWorld.world.hasOrganisation()
        }
        #expect(!unseeded)
    }

    @Test func theScopedHelperReturnsWhatTheBodyReturnsAndStops() async throws {
        let url = try await withFakeDEP { fakedep in fakedep.url }
        await #expect(throws: TransportError.self) { try await request("GET", url, path: "/_fakedep/health") }
    }

    @Test func theScopedHelperStopsWhenTheBodyThrows() async throws {
        var port = 0
        do {
            try await withFakeDEP { fakedep in
                port = fakedep.port
                throw Planned()
            }
            Issue.record("the body's error was not rethrown")
        } catch is Planned {}

        let url = try #require(URL(string: "http://127.0.0.1:\(port)"))
        await #expect(throws: TransportError.self) { try await request("GET", url, path: "/_fakedep/health") }
        // The port is free again.
        let again = try await FakeDEP.start(FakeDEP.Options(port: port))
        await again.stop()
    }

    @Test func anAdminTokenGuardsTheWorldsPortalAndIsSentWithItsAuthorization() async throws {
        try await withFakeDEP(FakeDEP.Options(adminToken: "testing-token")) { fakedep in
            let world = try await fakedep.makeWorld(seed: .empty)
            #expect(fakedep.authorization == "Bearer testing-token")
            #expect(try await request("GET", world.portalURL, path: "/servers").status == 401)
            #expect(try await request("GET", fakedep.url, path: "/_fakedep/worlds").status == 401)
            let servers = try await request(
                "GET", world.portalURL, path: "/servers", authorization: fakedep.authorization)
            #expect(servers.status == 200, "\(servers.text)")
            let worlds = try await request(
                "GET", fakedep.url, path: "/_fakedep/worlds", authorization: fakedep.authorization)
            #expect(worlds.status == 200)
            #expect(try await request("GET", fakedep.url, path: "/_fakedep/health").status == 200)
        }
        try await withFakeDEP { fakedep in
            #expect(fakedep.authorization == nil)
            let servers = try await request("GET", fakedep.defaultWorld.portalURL, path: "/servers")
            #expect(servers.status == 200)
        }
    }
}
