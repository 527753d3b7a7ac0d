import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// What a real deployment throws at the agent: the service restarting in the middle of a
/// fetch, and the agent itself killed in the middle of a large sync.
struct ResilienceTests {
    @Test func aServiceRestartInTheMiddleOfAFetchIsSurvived() async throws {
        try await ScratchDirectory.with { directory in
            let database = directory.appendingPathComponent("fakedep.sqlite").path
            let clock = ManualTimeSource(TestServer.start)
            let first = try await RunningServer.start(databasePath: database, clock: clock)
            var running = first
            do {
                let server = first.server
                let state = directory.appendingPathComponent("state")
                let agent = try MDMHarness.agent(server, state: state)
                let mdm = MDMHarness(server: server, agent: agent, stateDirectory: state, name: "E2E MDM")
                try await mdm.enrol()
                try await mdm.assignByCSV(try await server.freeSerials(50))
                let client = try await agent.client()

                // Three pages of ten, then the round is stopped between pages.
                let pages = PageCounter(stopAfter: 3)
                let syncer = Syncer(client: client, store: agent.store, now: { clock.now }) { _ in pages.count() }
                let round = Task { try await syncer.runRound(Syncer.Options(limit: 10)) }
                await #expect(throws: CancellationError.self) { try await round.value }
                #expect(try await agent.store.devices().count == 30)

                // The service restarts on the same port and database: its sessions are gone.
                await first.stop()
                running = try await RunningServer.start(databasePath: database, clock: clock, port: first.port)
                let resumed = try await Syncer(client: client, store: agent.store, now: { clock.now })
                    .runRound(Syncer.Options(limit: 10))
                #expect(resumed.changes.added == 20)
                #expect(await client.sessionsOpened == 2)
                let harness = MDMHarness(server: running.server, agent: agent, stateDirectory: state, name: mdm.name)
                #expect(try await harness.storedSerials() == harness.serversSerials())
                #expect(try await harness.storedSerials().count == 50)
            } catch {
                await running.stop()
                throw error
            }
            await running.stop()
        }
    }

    @Test(.enabled(if: BuiltBinary.url("depsync") != nil, "the depsync binary is not built"))
    func killingTheAgentMidSyncLosesNothingAndDoublesNothing() async throws {
        let binary = try #require(BuiltBinary.url("depsync"))
        // The binary signs with the real time, so the service's clock starts there too.
        try await TestServer.with(clock: ManualTimeSource(Date())) { server in
            try await MDMHarness.with(server) { mdm in
                try await mdm.enrol()
                let serials = try await server.freeSerials(5000)
                _ = try await server.world.assign(serials: serials, to: mdm.name)
                let arguments = ["sync", "--limit", "20", "--state", mdm.stateDirectory.path, "--url", server.baseURL]
                let directory = mdm.stateDirectory.deletingLastPathComponent()

                let killed = try ChildProcess.start(binary, arguments, in: directory)
                let store = try LocalStore(path: mdm.stateDirectory.appendingPathComponent("depsync.sqlite").path)
                // Killed as soon as its first pages are stored: 250 pages of 20 are still to come.
                while try await store.syncState().cursor == nil { try await Task.sleep(for: .milliseconds(5)) }
                killed.send(SIGKILL)
                let outcome = try await killed.outcome()
                #expect(outcome.status != 0, "the sync finished before it was killed: \(outcome)")
                let stored = try await mdm.storedSerials().count
                #expect(stored > 0 && stored < serials.count)

                let rerun = try await ChildProcess.run(binary, arguments, in: directory)
                #expect(rerun.status == 0, "\(rerun)")
                #expect(try await mdm.storedSerials() == mdm.serversSerials())
                #expect(try await mdm.storedSerials().count == serials.count)
                // Each device arrived once: one fetch entry in its history, none repeated.
                #expect(try await store.eventCount(source: "fetch") == serials.count)
            }
        }
    }
}

/// Counts stored pages and cancels the round (the task reporting them) after `stopAfter`.
final class PageCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var pages = 0
    private let stopAfter: Int

    init(stopAfter: Int) { self.stopAfter = stopAfter }

    /// Called from the round's progress callback, on the round's own task.
    func count() {
        let reached = lock.withLock {
            pages += 1
            return pages >= stopAfter
        }
        if reached { withUnsafeCurrentTask { $0?.cancel() } }
    }
}
