import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The way a test waits for an MDM's background sync without sleeping: a long-poll on the
/// world's journal that answers once the agent's requests are there.
struct JournalWaitTests {
    @Test func aJournalWaitAnswersOnceTheAgentsSyncHasMadeItsRequests() async throws {
        try await TestServer.with { server in
            let created = try await server.send("POST", "/_fakedep/worlds", json: #"{"seed":{"devices":60}}"#)
            let id = try DEPJSON.decode(WorldSummary.self, from: created.body).id
            let world = server.inWorld(id)
            try await MDMHarness.with(world, name: "Background MDM") { mdm in
                try await mdm.enrol()
                try await mdm.assignByCSV(try await Self.serials(world, count: 30))

                // Its own connection: the test server's client sends one request at a time.
                let waiter = HTTPClient(userAgent: "journal-waiter/1.0")
                let waiting = Task {
                    try await waiter.send(
                        HTTPRequest(
                            method: "POST", url: server.baseURL + "/_fakedep/worlds/\(id)/journal/wait",
                            headers: [("Content-Type", "application/json")],
                            body: Data(#"{"operation":"fetch_devices","count":3,"timeout_seconds":120}"#.utf8)))
                }
                // The MDM's background sync, which the test does not await before it asks.
                let background = Task { try await mdm.agent.sync(Syncer.Options(limit: 10)) }

                let answer = try await waiting.value
                let result = try DEPJSON.decode(WaitResult.self, from: answer.body)
                #expect(result.satisfied == true)
                #expect(result.entries.count >= 3)
                #expect(result.entries.allSatisfy { $0.userAgent?.hasPrefix("depsync/") == true && $0.status == 200 })
                #expect(result.entries.allSatisfy { $0.server == "Background MDM" })

                let report = try await background.value
                #expect(report.devicesReceived == 30)
                let fetches = try DEPJSON.decode(
                    WaitResult.self,
                    from: try await server.send("GET", "/_fakedep/worlds/\(id)/journal?operation=fetch_devices").body
                ).entries
                let syncs = try DEPJSON.decode(
                    WaitResult.self,
                    from: try await server.send("GET", "/_fakedep/worlds/\(id)/journal?operation=sync_devices").body
                ).entries
                // Every page the agent read is in the journal: the fetch's, then the sync's.
                #expect(fetches.count + syncs.count == report.pages)
                #expect(Array(fetches.prefix(result.entries.count)) == result.entries)
            }
        }
    }

    /// The answer of `journal/wait`, or the journal's (without `satisfied`).
    private struct WaitResult: Decodable {
        var satisfied: Bool?
        var entries: [JournalEntry]
    }

    /// The first `count` serials of the world `server` talks to.
    private static func serials(_ server: TestServer, count: Int) async throws -> [String] {
        let page = try await server.portal("GET", "/devices?limit=\(count)", body: nil, contentType: "application/json")
        return try DEPJSON.decode(DevicePage.self, from: page.body).devices.map(\.serialNumber)
    }
}
