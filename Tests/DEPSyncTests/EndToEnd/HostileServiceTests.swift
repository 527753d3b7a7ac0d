import DEPSync
import DEPWire
import Foundation
import Logging
import Testing

/// What a hostile (or broken) DEP service throws at depsync, over real HTTP and libcurl: absurd
/// `Retry-After`s, answers far too large (streamed, gzip bombs, garbage), pages with more devices
/// than asked for, endless pages that bring nothing new, redirects, and serials with control
/// characters. depsync must end each with one clear line and a store that is intact.
struct HostileServiceTests {
    /// depsync's client over libcurl to `service`, on the scripted clock, its log recorded.
    private struct Agent {
        let client: DEPClient
        let log = RecordedLog()
        let sleeps = SleepLog()

        init(_ service: HostileService, retry: RetryPolicy = .never, transport: TransportOptions = TransportOptions()) {
            var options = DEPClient.Options(baseURL: service.baseURL)
            options.retry = retry
            let sleeps = sleeps
            client = DEPClient(
                tokens: ScriptedClient.tokens,
                transport: HTTPClient(userAgent: "depsync-tests/1.0", options: transport),
                options: options, now: { ScriptedClient.now }, sleep: { await sleeps.record($0) }, jitter: { 1 },
                logger: log.logger)
        }

        /// A syncer over `store`.
        func syncer(_ store: LocalStore) -> Syncer {
            Syncer(client: client, store: store, now: { ScriptedClient.now }, logger: log.logger)
        }
    }

    /// A store that has completed a full fetch of `REAL1` and `REAL2` (cursor `f1`).
    private func storeWithRealDevices() async throws -> LocalStore {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitFetchPage(
            [Device(serialNumber: "REAL1", model: "MacBook Air"), Device(serialNumber: "REAL2", model: "iPad Air")],
            cursor: "f1", generation: 1, complete: true, at: ScriptedClient.now, autoAssign: false)
        return store
    }

    /// The store's devices that are not removed.
    private func presentSerials(_ store: LocalStore) async throws -> [String] {
        try await store.devices().filter { $0.removed == nil }.map(\.serialNumber)
    }

    // MARK: Retry-After

    @Test(arguments: [429, 503], ["inf", "1e19", "9300000000000000000", "Fri, 31 Dec 9999 23:59:59 GMT"])
    func anEndlessRetryAfterIsTakenAsAnHourAndSaidInOneWarning(status: Int, header: String) async throws {
        try await HostileService.with({ request in
            request.path == "/devices/sync" ? .text(status, "TOO_MANY_REQUESTS", headers: ["Retry-After": header]) : nil
        }) { service in
            let agent = Agent(service, retry: RetryPolicy())

            let error = await #expect(throws: DEPClientError.self) {
                try await agent.client.syncDevices(cursor: "c1", limit: 100)
            }

            #expect(error?.retryAfter == 3600)
            #expect(error?.description.contains("asking to wait 3600 s") == true)
            // An hour is beyond what one call waits for: it fails at once instead.
            #expect(await agent.sleeps.delays.isEmpty)
            #expect(await service.requests(to: "/devices/sync") == 1)
            let warnings = agent.log.messages(at: .warning)
            #expect(warnings.count == 1)
            #expect(warnings.first?.contains("Retry-After") == true)
            #expect(warnings.first?.contains("3600 s") == true)
        }
    }
}
