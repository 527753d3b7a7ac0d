import DEPWire
import Foundation
import Testing

@testable import DEPSync

/// The fetch → sync state machine of `Syncer` (dep-api §4) against a scripted service: paging
/// with the advertised limits, the echoed-cursor guard, cursor errors, reconciliation, and
/// resuming from the last stored page after a failure.
@Suite struct SyncerTests {
    /// A running agent: its client over a scripted transport, its store and its syncer.
    private struct ScriptedAgent {
        let scripted: ScriptedClient
        let store: LocalStore
        let syncer: Syncer

        var transport: ScriptedTransport { scripted.transport }

        func fetch(_ replies: ScriptedReply...) async { await transport.enqueue("/server/devices", replies) }
        func sync(_ replies: ScriptedReply...) async { await transport.enqueue("/devices/sync", replies) }

        func fetchRequests() async throws -> [FetchDeviceRequest] {
            try await transport.requests(to: "/server/devices").map { try $0.decodedBody(FetchDeviceRequest.self) }
        }

        func syncRequests() async throws -> [SyncDeviceRequest] {
            try await transport.requests(to: "/devices/sync").map { try $0.decodedBody(SyncDeviceRequest.self) }
        }

        /// The requests to the device endpoints, in order.
        func pagePaths() async -> [String] {
            await transport.paths.filter { $0 == "/server/devices" || $0 == "/devices/sync" }
        }
    }

    private static func account(fetchMaximum: Int? = 1000, syncMaximum: Int? = 1000) -> AccountDetail {
        var urls = [EndpointURL(uri: "/account", httpMethod: ["GET"])]
        if let fetchMaximum {
            urls.append(
                EndpointURL(
                    uri: "/server/devices", httpMethod: ["POST"], limit: PageLimit(default: 100, maximum: fetchMaximum))
            )
        }
        if let syncMaximum {
            urls.append(
                EndpointURL(
                    uri: "/devices/sync", httpMethod: ["POST"], limit: PageLimit(default: 100, maximum: syncMaximum)))
        }
        return AccountDetail(serverName: "Test MDM", urls: urls)
    }

    private func makeAgent(account: AccountDetail = Self.account(), store: LocalStore? = nil) async throws
        -> ScriptedAgent
    {
        let scripted = ScriptedClient(retry: .never)
        await scripted.transport.answer("/account", always: try .json(account))
        let store = try store ?? LocalStore(path: ":memory:")
        return ScriptedAgent(
            scripted: scripted, store: store,
            syncer: Syncer(client: scripted.client, store: store, now: { ScriptedClient.now }))
    }

    private func page(_ serials: [String], more: Bool, cursor: String, op: OperationType? = nil) throws
        -> ScriptedReply
    {
        let devices = serials.map {
            Device(serialNumber: $0, model: "iPhone 15", opType: op, opDate: op.map { _ in ScriptedClient.now })
        }
        return try .json(
            FetchDeviceResponse(devices: devices, fetchedUntil: ScriptedClient.now, moreToFollow: more, cursor: cursor))
    }

    private func serials(_ store: LocalStore) async throws -> [String] {
        try await store.devices().map(\.serialNumber)
    }

    @Test func aFirstRoundFetchesEveryPageThenSyncs() async throws {
        let agent = try await makeAgent()
        await agent.fetch(try page(["A", "B"], more: true, cursor: "c1"), try page(["C"], more: false, cursor: "c2"))
        await agent.sync(try page([], more: false, cursor: "c3"))

        let report = try await agent.syncer.runRound()

        #expect(report.fullFetch)
        #expect(report.pages == 3)
        #expect(report.devicesReceived == 3)
        #expect(report.changes == PageChanges(added: 3))
        #expect(!report.echoedCursor)
        #expect(
            await agent.transport.paths == [
                "/session", "/account", "/server/devices", "/server/devices", "/devices/sync",
            ])
        #expect(try await agent.fetchRequests().map(\.cursor) == [nil, "c1"])
        #expect(try await agent.syncRequests().map(\.cursor) == ["c2"])
        #expect(try await serials(agent.store) == ["A", "B", "C"])
        let state = try await agent.store.syncState()
        #expect(state.cursor == "c3")
        #expect(state.phase == .sync)
        #expect(state.fetchGeneration == 1)
        #expect(state.lastSync == ScriptedClient.now)
        #expect(state.lastFullFetch == ScriptedClient.now)
    }

    @Test func theNextRoundOnlySyncsFromTheStoredCursor() async throws {
        let agent = try await makeAgent()
        await agent.fetch(try page(["A"], more: false, cursor: "c1"))
        await agent.sync(try page([], more: false, cursor: "c2"))
        _ = try await agent.syncer.runRound()
        await agent.sync(
            try page(["B"], more: true, cursor: "c3", op: .added),
            try page(["A"], more: false, cursor: "c4", op: .modified))

        let report = try await agent.syncer.runRound()

        #expect(!report.fullFetch)
        #expect(report.pages == 2)
        #expect(report.changes == PageChanges(added: 1, modified: 1))
        #expect(await agent.pagePaths() == ["/server/devices", "/devices/sync", "/devices/sync", "/devices/sync"])
        #expect(try await agent.syncRequests().map(\.cursor) == ["c1", "c2", "c3"])
        #expect(try await agent.store.syncState().cursor == "c4")
    }

    @Test(
        arguments: [
            (1000, 500, nil, 1000, 500), (1000, 500, 250, 250, 250), (1000, 500, 700, 700, 500),
            (nil, nil, nil, 100, 100), (nil, nil, 500, 100, 100), (nil, nil, 20, 20, 20), (nil, 300, nil, 100, 300),
            // No larger than Apple's largest page, whatever a service advertises.
            (5_000_000, 2000, nil, 1000, 1000), (5_000_000, 5_000_000, 4000, 1000, 1000),
        ] as [(Int?, Int?, Int?, Int, Int)])
    func pagesAreAsLargeAsAdvertisedUpToTheCallersLimit(
        fetchMaximum: Int?, syncMaximum: Int?, cap: Int?, fetchLimit: Int, syncLimit: Int
    ) async throws {
        let agent = try await makeAgent(account: Self.account(fetchMaximum: fetchMaximum, syncMaximum: syncMaximum))
        await agent.fetch(try page(["A"], more: false, cursor: "c1"))
        await agent.sync(try page([], more: false, cursor: "c2"))

        _ = try await agent.syncer.runRound(Syncer.Options(limit: cap))

        #expect(try await agent.fetchRequests().map(\.limit) == [fetchLimit])
        #expect(try await agent.syncRequests().map(\.limit) == [syncLimit])
    }

    @Test func anAccountWithoutURLsGetsApplesDefaultPageSize() async throws {
        let agent = try await makeAgent(account: AccountDetail(serverName: "Old MDM"))
        await agent.fetch(try page(["A"], more: false, cursor: "c1"))
        await agent.sync(try page([], more: false, cursor: "c2"))

        _ = try await agent.syncer.runRound()

        #expect(try await agent.fetchRequests().map(\.limit) == [Syncer.defaultPageSize])
        #expect(try await agent.syncRequests().map(\.limit) == [100])
        #expect(Syncer.pageSize(nil, cap: 0) == 1)
    }

    @Test func anEchoedSyncCursorEndsTheRoundInsteadOfAskingAgain() async throws {
        let agent = try await makeAgent()
        await agent.fetch(try page(["A"], more: false, cursor: "c1"))
        await agent.sync(try page(["B"], more: true, cursor: "c1", op: .added))

        let report = try await agent.syncer.runRound()

        #expect(report.echoedCursor)
        #expect(try await agent.syncRequests().map(\.cursor) == ["c1"])
        #expect(try await serials(agent.store) == ["A", "B"])
        let state = try await agent.store.syncState()
        #expect(state.cursor == "c1")
        #expect(state.phase == .sync)
    }

    @Test func anEchoedFetchCursorEndsTheRoundInsteadOfAskingAgain() async throws {
        let agent = try await makeAgent()
        await agent.fetch(try page(["A"], more: true, cursor: "c1"), try page(["B"], more: true, cursor: "c1"))

        let report = try await agent.syncer.runRound()

        #expect(report.echoedCursor)
        #expect(try await agent.fetchRequests().map(\.cursor) == [nil, "c1"])
        #expect(await agent.transport.requests(to: "/devices/sync").isEmpty)
        let state = try await agent.store.syncState()
        #expect(state.cursor == "c1")
        #expect(state.phase == .fetch)
        #expect(state.lastFullFetch == nil)
    }

    @Test(arguments: ["EXPIRED_CURSOR", "INVALID_CURSOR", "\"INVALID_CURSOR\"\r\n"])
    func aRefusedSyncCursorStartsAFullFetchThatReconciles(body: String) async throws {
        let agent = try await makeAgent()
        await agent.fetch(try page(["A", "B", "C"], more: false, cursor: "c1"))
        await agent.sync(try page([], more: false, cursor: "c2"))
        _ = try await agent.syncer.runRound()
        await agent.sync(.status(400, body))
        await agent.fetch(try page(["A"], more: true, cursor: "c3"), try page(["B"], more: false, cursor: "c4"))
        await agent.sync(try page([], more: false, cursor: "c5"))

        let report = try await agent.syncer.runRound()

        #expect(report.cursorResets == 1)
        #expect(report.fullFetch)
        #expect(report.changes == PageChanges(modified: 2, removed: 1))
        #expect(try await agent.syncRequests().map(\.cursor) == ["c1", "c2", "c4"])
        #expect(try await agent.fetchRequests().map(\.cursor) == [nil, nil, "c3"])
        let removed = try #require(try await agent.store.device("C"))
        #expect(removed.enrollmentStatus == .removed)
        #expect(try await agent.store.events(of: "C").last?.source == "reconcile")
        #expect(try await agent.store.device("A")?.removed == nil)
        let state = try await agent.store.syncState()
        #expect(state.fetchGeneration == 2)
        #expect(state.cursor == "c5")
        #expect(state.phase == .sync)
    }

    @Test func anExhaustedFetchCursorSwitchesToSyncWithTheSameCursor() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitFetchPage(
            [Device(serialNumber: "A")], cursor: "c1", generation: 1, complete: false, at: ScriptedClient.now,
            autoAssign: false)
        let agent = try await makeAgent(store: store)
        await agent.fetch(.status(400, "EXHAUSTED_CURSOR"))
        await agent.sync(try page(["B"], more: false, cursor: "c2", op: .added))

        let report = try await agent.syncer.runRound()

        #expect(report.cursorResets == 0)
        #expect(report.changes == PageChanges(added: 1))
        #expect(try await agent.fetchRequests().map(\.cursor) == ["c1"])
        #expect(try await agent.syncRequests().map(\.cursor) == ["c1"])
        #expect(try await serials(store) == ["A", "B"])
        let state = try await store.syncState()
        #expect(state.cursor == "c2")
        #expect(state.phase == .sync)
    }

    @Test func anExhaustedSyncCursorFailsTheRound() async throws {
        let agent = try await makeAgent()
        await agent.fetch(try page(["A"], more: false, cursor: "c1"))
        await agent.sync(.status(400, "EXHAUSTED_CURSOR"))

        let error = await #expect(throws: DEPClientError.self) { try await agent.syncer.runRound() }

        #expect(error?.kind == .cursor(.exhaustedCursor))
        #expect(try await agent.store.syncState().cursor == "c1")
    }

    @Test func aServiceThatKeepsRefusingCursorsEndsTheRoundAfterTwoResets() async throws {
        let agent = try await makeAgent()
        await agent.transport.answer("/server/devices", always: .status(400, "INVALID_CURSOR"))

        let error = await #expect(throws: DEPClientError.self) { try await agent.syncer.runRound() }

        #expect(error?.kind == .cursor(.invalidCursor))
        #expect(await agent.transport.requests(to: "/server/devices").count == 3)
    }

    @Test func aFailureInTheMiddleOfARoundResumesFromTheLastStoredPage() async throws {
        let agent = try await makeAgent()
        let timeout = TransportError(code: 28, message: "Timeout was reached", isTransient: true)
        await agent.fetch(try page(["A", "B"], more: true, cursor: "c1"), .failure(timeout))

        let error = await #expect(throws: DEPClientError.self) { try await agent.syncer.runRound() }
        #expect(error?.kind == .network(code: 28))
        let interrupted = try await agent.store.syncState()
        #expect(interrupted.cursor == "c1")
        #expect(interrupted.phase == .fetch)
        #expect(try await serials(agent.store) == ["A", "B"])

        await agent.fetch(try page(["C", "D"], more: false, cursor: "c2"))
        await agent.sync(try page([], more: false, cursor: "c3"))
        let report = try await agent.syncer.runRound()

        #expect(try await agent.fetchRequests().map(\.cursor) == [nil, "c1", "c1"])
        #expect(report.changes == PageChanges(added: 2))
        #expect(try await serials(agent.store) == ["A", "B", "C", "D"])
        for serial in ["A", "B", "C", "D"] {
            #expect(try await agent.store.events(of: serial).map(\.source) == ["fetch"])
        }
        let state = try await agent.store.syncState()
        #expect(state.fetchGeneration == 1)
        #expect(state.cursor == "c3")
        #expect(try await agent.store.counts().byStatus == [.notContacted: 4])
    }

    @Test func aFailedSyncPageLeavesTheCursorOfTheLastStoredOne() async throws {
        let agent = try await makeAgent()
        await agent.fetch(try page(["A"], more: false, cursor: "c1"))
        await agent.sync(try page(["B"], more: true, cursor: "c2", op: .added), .status(503))

        _ = await #expect(throws: DEPClientError.self) { try await agent.syncer.runRound() }
        #expect(try await agent.store.syncState().cursor == "c2")

        await agent.sync(try page(["C"], more: false, cursor: "c3", op: .added))
        let report = try await agent.syncer.runRound()

        #expect(!report.fullFetch)
        #expect(try await agent.syncRequests().map(\.cursor) == ["c1", "c2", "c2"])
        #expect(try await serials(agent.store) == ["A", "B", "C"])
    }
}
