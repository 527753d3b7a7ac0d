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

        /// A syncer over `store` whose backoff waits are recorded, not waited.
        func syncer(_ store: LocalStore) -> Syncer {
            let sleeps = sleeps
            return Syncer(
                client: client, store: store, now: { ScriptedClient.now }, logger: log.logger,
                sleep: { await sleeps.record($0) })
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

    // MARK: Size

    @Test(arguments: [
        ("a page streamed without end", HostileService.Answer.endlessPage(bytes: 100 << 20)),
        ("a gzip bomb", .gzipBomb(expandingTo: 100 << 20)),
        ("garbage", .garbage(bytes: 100 << 20)),
    ])
    func anAnswerLargerThanTheCapIsStoppedThereAndReported(kind: String, answer: HostileService.Answer) async throws {
        try await HostileService.with({ $0.path == "/server/devices" ? answer : nil }) { service in
            let agent = Agent(service)
            let store = try await storeWithRealDevices()
            try await store.resetCursor()

            let error = await #expect(throws: DEPClientError.self, "\(kind)") {
                _ = try await agent.syncer(store).runRound(Syncer.Options(limit: 1000))
            }

            #expect(error?.kind == .oversizedResponse(path: "/server/devices", limit: 32 << 20), "\(kind)")
            #expect(error?.description.contains("more than 32 MiB") == true)
            #expect(try await presentSerials(store) == ["REAL1", "REAL2"])
        }
    }

    @Test func theCapIsASettingAndAnAnnouncedLengthOverItIsRefusedUnread() async throws {
        var answer = HostileService.Answer.endlessPage(bytes: 4 << 20)
        answer.announcesLength = true
        let announced = answer
        try await HostileService.with({ $0.path == "/server/devices" ? announced : nil }) { service in
            var transport = TransportOptions()
            transport.maximumResponseSize = 1 << 20
            let agent = Agent(service, transport: transport)

            let error = await #expect(throws: DEPClientError.self) {
                try await agent.client.fetchDevices(cursor: nil, limit: 1000)
            }

            #expect(error?.kind == .oversizedResponse(path: "/server/devices", limit: 1 << 20))
        }
    }

    @Test func aPageWithMoreDevicesThanAskedForIsMalformedAndChangesNothing() async throws {
        let devices = (1...11).map { HostileService.Answer.device("C02EXTRA\($0)") }
        try await HostileService.with({ request in
            request.path == "/server/devices" ? .page(devices, more: false, cursor: "f2") : nil
        }) { service in
            let agent = Agent(service)
            let store = try await storeWithRealDevices()
            try await store.resetCursor()

            let error = await #expect(throws: DEPClientError.self) {
                _ = try await agent.syncer(store).runRound(Syncer.Options(limit: 10))
            }

            #expect(error?.kind == .malformedResponse(path: "/server/devices"))
            #expect(error?.description.contains("more than the 10 devices asked for") == true)
            // Had the page been taken, the completed fetch would have marked REAL1 and REAL2 removed.
            #expect(try await presentSerials(store) == ["REAL1", "REAL2"])
        }
    }

    @Test func aPageCrowdedWithDevicesUnderTheCapIsRefusedAtTheFirstDeviceTooMany() async throws {
        try await HostileService.with({ $0.path == "/server/devices" ? .crowdedPage(bytes: 8 << 20) : nil }) {
            service in
            let agent = Agent(service)

            let error = await #expect(throws: DEPClientError.self) {
                try await agent.client.fetchDevices(cursor: nil, limit: 1000)
            }

            #expect(error?.description.contains("more than the 1000 devices asked for") == true)
        }
    }

    @Test func anAnswerReadWithJSONDecoderIsRefusedPastAMebibyte() async throws {
        let junk = String(repeating: "1,", count: 2 << 20)
        try await HostileService.with({ request in
            request.path == "/account" ? .json(#"{"server_name":"Hostile","junk":[\#(junk)1]}"#) : nil
        }) { service in
            let agent = Agent(service)

            let error = await #expect(throws: DEPClientError.self) { try await agent.client.account() }

            #expect(error?.kind == .oversizedResponse(path: "/account", limit: 1 << 20))
            #expect(error?.description.contains("more than 1 MiB") == true)
        }
    }

    // MARK: Endless pages

    @Test(arguments: [
        ("empty pages", [String]()),
        ("the same device again", [HostileService.Answer.device("REAL1")]),
    ])
    func pagesWithFreshCursorsAndNothingNewEndTheRoundAfterAFew(kind: String, devices: [String]) async throws {
        // Forty pages at most: a client that never stops gets a failure, not a hung test.
        try await HostileService.with({ request in
            guard request.path == "/devices/sync" else { return nil }
            guard request.number <= 40 else { return .text(400, "ENOUGH") }
            return .page(devices, more: true, cursor: "fresh-\(request.number)")
        }) { service in
            let agent = Agent(service)
            let store = try await storeWithRealDevices()
            let before = try await store.device("REAL1")

            let report = try await agent.syncer(store).runRound()

            #expect(report.stalled, "\(kind)")
            #expect(await service.requests(to: "/devices/sync") == 3, "\(kind)")
            // Backoff between the pages: doubling, waited through the injected sleep.
            let delays = await agent.sleeps.delays
            #expect(delays == (devices.isEmpty ? [1, 2] : [2]), "\(kind)")
            #expect(try await store.syncState().cursor == "fresh-3")
            #expect(try await store.device("REAL1") == before)
            #expect(agent.log.messages(at: .warning).contains { $0.contains("nothing new; ending the round") })
        }
    }

    @Test func pagesThatBringNewDevicesKeepTheRoundGoing() async throws {
        try await HostileService.with({ request in
            guard request.path == "/devices/sync" else { return nil }
            let device = HostileService.Answer.device("C02NEW\(request.number)")
            return .page([device], more: request.number < 8, cursor: "fresh-\(request.number)")
        }) { service in
            let agent = Agent(service)
            let store = try await storeWithRealDevices()

            let report = try await agent.syncer(store).runRound()

            #expect(!report.stalled)
            #expect(report.changes.added == 8)
            #expect(await agent.sleeps.delays.isEmpty)
        }
    }

    // MARK: Redirects

    @Test(arguments: ["/session", "/account"])
    func aRedirectIsReportedAsARedirectNamingWhereItLeads(path: String) async throws {
        let location = "https://elsewhere.example\(path)"
        try await HostileService.with({ request in
            request.path == path ? .text(302, "", headers: ["Location": location]) : nil
        }) { service in
            let agent = Agent(service)

            let error = await #expect(throws: DEPClientError.self) { try await agent.client.account() }

            #expect(error?.kind == .redirected(path: path, status: 302, location: location))
            let text = error?.description ?? ""
            #expect(text.contains("redirected \(path) to \(location) (HTTP 302)"))
            #expect(text.contains("does not follow redirects"))
            #expect(!text.contains("token"))
            #expect(error?.isTransient == false)
        }
    }

    // MARK: Control characters

    @Test func aDeviceWhoseSerialHoldsControlCharactersIsSkippedAndNamedEscaped() async throws {
        let devices = [
            HostileService.Answer.device("REAL1", model: #"Mac\u0000Book"#),
            HostileService.Answer.device(#"REAL2\u0000EVIL"#), HostileService.Answer.device(#"C02\u001b[2J"#),
        ]
        try await HostileService.with({ request in
            request.path == "/devices/sync" ? .page(devices, more: false, cursor: "s1") : nil
        }) { service in
            let agent = Agent(service)
            let store = try await storeWithRealDevices()
            let real2 = try await store.device("REAL2")

            let report = try await agent.syncer(store).runRound()

            #expect(report.skippedDevices == 2)
            #expect(try await store.devices().map(\.serialNumber) == ["REAL1", "REAL2"])
            // REAL2 is not what "REAL2\0EVIL" would have been stored as, cut at the NUL.
            #expect(try await store.device("REAL2") == real2)
            // Text that is kept is kept whole: the NUL, which SQLite would end it at, is replaced.
            #expect(try await store.device("REAL1")?.device.model == "Mac\u{FFFD}Book")
            let warnings = agent.log.messages(at: .warning)
            #expect(warnings.contains { $0.hasSuffix(#"REAL2\0EVIL"#) })
            #expect(warnings.contains { $0.hasSuffix(#"C02\e[2J"#) })
            #expect(!warnings.joined().contains("\u{1B}"))
        }
    }

    @Test func aCursorWithControlCharactersIsRefusedAndNotStored() async throws {
        try await HostileService.with({ request in
            request.path == "/devices/sync" ? .page([], more: false, cursor: #"s1\u0000tail"#) : nil
        }) { service in
            let agent = Agent(service)
            let store = try await storeWithRealDevices()

            let error = await #expect(throws: DEPClientError.self) {
                _ = try await agent.syncer(store).runRound()
            }

            #expect(error?.kind == .malformedResponse(path: "/devices/sync"))
            #expect(error?.description.contains(#"s1\0tail"#) == true)
            #expect(try await store.syncState().cursor == "f1")
        }
    }
}
