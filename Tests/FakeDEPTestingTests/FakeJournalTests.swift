import DEPSync
import FakeDEPServer
import FakeDEPTesting
import Foundation
import Testing

/// A world's journal read in process: waited for without sleeping, filtered, counted, cleared,
/// under the rules of `/_fakedep/worlds/{id}/journal`.
struct FakeJournalTests {
    static let listServers = JournalFilter(operation: "portal_list_servers")

    @Test func aRequestIsWaitedForThenReadWithFilters() async throws {
        try await withFakeDEP { fakedep in
            let world = try await fakedep.makeWorld()
            let waiting = Task { try await world.journal.waitFor(count: 2, matching: Self.listServers) }
            _ = try await request("GET", world.portalURL, path: "/servers")
            _ = try await request("GET", world.portalURL, path: "/servers/Nobody")
            _ = try await request("GET", world.portalURL, path: "/servers")

            let waited = try await waiting.value
            #expect(waited.satisfied)
            #expect(waited.count == 2)
            let path = "/_fakedep/worlds/\(world.id)/portal/servers"
            #expect(waited.entries.map(\.path) == [path, path])
            #expect(try await world.journal.waitFor(count: 3).satisfied)

            let refused = try world.journal.entries(matching: JournalFilter(status: "4xx"))
            #expect(refused.map(\.status) == [404])
            #expect(try world.journal.count(matching: JournalFilter(status: "2xx")) == 2)
            #expect(try world.journal.entries(limit: 1).map(\.seq) == [3])
            #expect(try world.journal.counters["portal_list_servers"] == 2)
            // The default world had none of it.
            #expect(try fakedep.defaultWorld.journal.count() == 0)

            try world.journal.clear()
            #expect(try world.journal.count() == 0)
        }
    }

    @Test func aWaitForWhatNeverComesEndsUnsatisfiedAtItsTimeout() async throws {
        try await withFakeDEP { fakedep in
            let waited = try await fakedep.defaultWorld.journal.waitFor(
                matching: JournalFilter(operation: "disown"), timeout: .milliseconds(200))
            #expect(!waited.satisfied)
            #expect(waited.entries.isEmpty)
        }
    }

    @Test func theControlRoutesRulesHoldInProcess() async throws {
        try await withFakeDEP { fakedep in
            let journal = fakedep.defaultWorld.journal
            await #expect(throws: PortalError.self) { try await journal.waitFor(count: 0) }
            await #expect(throws: PortalError.self) { try await journal.waitFor(timeout: .seconds(301)) }
            await #expect(throws: PortalError.self) { try await journal.waitFor(timeout: .seconds(-1)) }
            #expect(throws: PortalError.self) { try journal.entries(matching: JournalFilter(status: "4")) }
            #expect(throws: PortalError.self) { try journal.count(matching: JournalFilter(status: "600")) }
        }
    }
}
