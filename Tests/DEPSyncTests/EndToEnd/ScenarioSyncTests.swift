import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// depsync's sync rounds against fakedep's shipped scenarios of a misbehaving service, over
/// libcurl: what the scenario's `expect` says, proven by the agent's store and report and by the
/// world's journal. Pages of 15 make Test MDM's 40 devices three fetch pages (15, 15, 10), the
/// pages the scenarios' fault rules count.
struct ScenarioSyncTests {
    private static let threePages = Syncer.Options(limit: 15)

    @Test func everyShippedScenarioHasAnEndToEndTest() {
        #expect(Scenario.shippedNames == ScenarioWorld.covered)
    }

    @Test func anEchoedCursorEndsEachRoundAfterOneSyncRequestAndKeepsTheFetchedDevices() async throws {
        try await ScenarioWorld.with("echoed-cursor") { scenario in
            let first = try await scenario.agent.sync()
            #expect(first.fullFetch && first.changes.added == 40)
            #expect(first.echoedCursor)
            // The next interval's round asks once more, and ends at the echo again.
            let second = try await scenario.agent.sync()
            #expect(!second.fullFetch && second.echoedCursor)
            #expect(second.devicesReceived == 0)

            #expect(try await scenario.storedDevices().count == 40)
            #expect(try await scenario.mdm.storedSerials() == scenario.serversSerials())
            let syncs = try scenario.journal("sync_devices")
            #expect(syncs.count == 2)
            #expect(syncs.allSatisfy { $0.status == 200 && $0.fault == "f1: misbehaviour echoed_cursor" })
            #expect(try scenario.journal("fetch_devices").count == 1)
            // Each round is a session, the account, and one sync that meets the echo: no loop.
            let calls = try scenario.journal().filter { !$0.operation.hasPrefix("portal_") }.map(\.operation)
            let round = ["session", "account", "sync_devices"]
            #expect(calls == ["session", "account", "fetch_devices", "sync_devices"] + round)
        }
    }

    @Test func anExpiredCursorLeadsToOneFullFetchThatReconcilesWithNoDeviceLostOrDoubled() async throws {
        try await ScenarioWorld.with("expired-cursor") { scenario in
            let round = try await scenario.agent.sync()
            #expect(round.cursorResets == 1)
            #expect(round.fullFetch)
            #expect(round.changes.added == 40 && round.changes.removed == 0)

            let devices = try await scenario.storedDevices()
            #expect(devices.count == 40 && devices.allSatisfy { $0.removed == nil })
            #expect(Set(devices.map(\.serialNumber)) == (try await scenario.serversSerials()))
            // Fetch, the refused sync, one full fetch without a cursor, then a sync that ends the round.
            let requests = try scenario.journal().filter { ["fetch_devices", "sync_devices"].contains($0.operation) }
            #expect(requests.map(\.operation) == ["fetch_devices", "sync_devices", "fetch_devices", "sync_devices"])
            #expect(requests.map(\.status) == [200, 400, 200, 200])
            #expect(requests.map(\.fault) == [nil, "f1: error 400 EXPIRED_CURSOR", nil, nil])
            #expect(requests[2].requestBody?.contains("cursor") == false)

            let next = try await scenario.agent.sync()
            #expect(!next.fullFetch && next.cursorResets == 0)
            #expect(try scenario.journal("fetch_devices").count == 2)

            // A cursor aged past Apple's 7 days in the world is refused as well; the one full
            // fetch that follows marks removed the device unassigned meanwhile, and only it.
            let leaving = try #require(try await scenario.mdm.storedSerials().min())
            try await scenario.mdm.unassign([leaving])
            try await scenario.advanceWorldClock(by: "P7DT1S")
            let aged = try await scenario.agent.sync()
            #expect(aged.cursorResets == 1 && aged.fullFetch)
            #expect(aged.changes.removed == 1 && aged.changes.added == 0)
            let kept = try await scenario.storedDevices()
            #expect(kept.count == 40)
            #expect(kept.filter { $0.removed != nil }.map(\.serialNumber) == [leaving])
            #expect(try await scenario.mdm.storedSerials() == scenario.serversSerials())
            let syncs = try scenario.journal("sync_devices")
            #expect(syncs.map(\.status) == [400, 200, 200, 400, 200])
            #expect(syncs[3].fault == nil && syncs[3].responseBody == "EXPIRED_CURSOR")
            let fetches = try scenario.journal("fetch_devices")
            #expect(fetches.count == 3 && fetches[2].requestBody?.contains("cursor") == false)
        }
    }

    @Test func aFlakyNetworkIsRetriedWithRetryAfterHonouredAndNoDeviceLostOrDoubled() async throws {
        try await ScenarioWorld.with("flaky-network") { scenario in
            let round = try await scenario.agent.sync(Self.threePages)
            #expect(round.fullFetch)
            #expect(round.devicesReceived == 40 && round.changes.added == 40)
            #expect(try await scenario.storedDevices().count == 40)
            #expect(try await scenario.mdm.storedSerials() == scenario.serversSerials())

            // Each page failed twice and then answered; libcurl's own retry of a reset reused
            // connection shows here too, so the journal, not the agent, counts the calls.
            let fetches = try scenario.journal("fetch_devices")
            #expect(fetches.map(\.status) == [0, 0, 200, 503, 503, 200, 429, 429, 200])
            let reset = "f3: transport reset"
            let unavailable = "f2: error 503 Service Unavailable"
            let throttled = "f1: error 429 TOO_MANY_REQUESTS Retry-After: 1"
            #expect(
                fetches.map(\.fault) == [reset, reset, nil, unavailable, unavailable, nil, throttled, throttled, nil])
            // Retry-After: 1 honoured: each request after a 429 came at least a second after it.
            for after429 in [7, 8] {
                let waited = fetches[after429].time.timeIntervalSince(fetches[after429 - 1].time)
                #expect(waited >= 1, "the request after a 429 came \(waited) s after it")
            }
        }
    }

    @Test func aForbiddenSessionIsRenewedOnceAndARotatedSessionIsAdopted() async throws {
        try await ScenarioWorld.with("session-loss-and-rotation") { scenario in
            let round = try await scenario.agent.sync(Self.threePages)
            #expect(round.devicesReceived == 40 && round.changes.added == 40)
            #expect(try await scenario.mdm.storedSerials() == scenario.serversSerials())

            #expect(try scenario.journal("account").map(\.fault) == ["f2: misbehaviour session_rotation"])
            let fetches = try scenario.journal("fetch_devices")
            #expect(fetches.map(\.status) == [200, 403, 200, 200])
            #expect(fetches[1].fault == "f1: error 403 FORBIDDEN")
            // The replay asks for the page after the first, which the 403 refused.
            let afterFirstPage = try #require(Self.cursor(in: fetches[0].responseBody))
            #expect(Self.cursor(in: fetches[2].requestBody) == afterFirstPage)
            // Two sessions: the first, and one renewal between the 403 and its replay. Had the
            // rotated session not been adopted, the next call would have met a 401 and opened a third.
            let sessions = try scenario.journal("session")
            #expect(sessions.map(\.status) == [200, 200])
            #expect(sessions[1].seq > fetches[1].seq && sessions[1].seq < fetches[2].seq)
            #expect(try scenario.journal().allSatisfy { $0.status != 401 })
        }
    }

    @Test func termsRefusedMidFetchStopTheSyncKeepTheFirstPageAndResumeOnceAccepted() async throws {
        try await ScenarioWorld.with("terms-mid-sync") { scenario in
            await #expect {
                try await scenario.agent.sync(Self.threePages)
            } throws: { error in
                guard case DEPClientError.termsNotSigned = error else { return false }
                let message = "\(error)"
                return message.contains("T_C_NOT_SIGNED") && message.contains("accept Apple's terms")
            }
            let kept = try await scenario.mdm.storedSerials()
            #expect(kept.count == 15)
            #expect(kept.isSubset(of: try await scenario.serversSerials()))
            let refused = try scenario.journal("fetch_devices")
            #expect(refused.map(\.status) == [200, 403])
            #expect(refused.last?.fault == "f1: error 403 T_C_NOT_SIGNED")

            // The terms accepted, the next round goes on from the stored cursor, not from the start.
            try await scenario.removeFaults()
            let resumed = try await scenario.agent.sync(Self.threePages)
            #expect(resumed.devicesReceived == 25 && resumed.changes.added == 25)
            let devices = try await scenario.storedDevices()
            #expect(devices.count == 40)
            #expect(Set(devices.map(\.serialNumber)) == (try await scenario.serversSerials()))
            let fetches = try scenario.journal("fetch_devices")
            #expect(fetches.map(\.status) == [200, 403, 200, 200])
            let afterFirstPage = try #require(Self.cursor(in: fetches[0].responseBody))
            #expect(Self.cursor(in: fetches[2].requestBody) == afterFirstPage)
        }
    }

    /// The cursor a journaled fetch request or page carries, if any.
    private static func cursor(in body: String?) -> String? {
        guard let body, let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        else { return nil }
        return object["cursor"] as? String
    }
}
