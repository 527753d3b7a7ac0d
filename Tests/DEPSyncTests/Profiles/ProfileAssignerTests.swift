import DEPWire
import Foundation
import Testing

@testable import DEPSync

/// How `ProfileAssigner` assigns profiles within Apple's rules (dep-api §3.8): batches of at most
/// 1000, `THROTTLED` devices resent after `retry_after_seconds` or deferred, `FAILED` and
/// `NOT_ACCESSIBLE` left alone, an unknown profile reported as such; and how
/// `ProfileDefinition.read` checks a profile file with the rules of §5.3.
@Suite struct ProfileAssignerTests {
    private let profile = "9145EDB932A42C48A9DD56AD69213C64"
    private let now = ScriptedClient.now

    /// An assigner over a scripted client, with its own recorded sleeps.
    private struct Assigner {
        let scripted: ScriptedClient
        let store: LocalStore
        let sleeps: SleepLog
        let assigner: ProfileAssigner

        var transport: ScriptedTransport { scripted.transport }

        /// The serials of each assignment request, in order.
        func batches() async throws -> [[String]] {
            try await transport.requests(to: "/profile/devices").map {
                try $0.decodedBody(ProfileServiceRequest.self).devices ?? []
            }
        }
    }

    private func makeAssigner(
        store: LocalStore? = nil, maxWait: Double = 30, handler: ScriptedTransport.Handler? = nil
    ) throws -> Assigner {
        let scripted = ScriptedClient(ScriptedTransport(handler: handler), retry: .never)
        let store = try store ?? LocalStore(path: ":memory:")
        let sleeps = SleepLog()
        return Assigner(
            scripted: scripted, store: store, sleeps: sleeps,
            assigner: ProfileAssigner(
                client: scripted.client, store: store, now: { ScriptedClient.now }, maxWait: maxWait,
                sleep: { await sleeps.record($0) }))
    }

    private func answer(_ results: [(String, DeviceResultStatus)], retryAfter: Int? = nil) throws -> ScriptedReply {
        try .json(
            AssignProfileResponse(
                profileUUID: profile, devices: DeviceResults(results), retryAfterSeconds: retryAfter))
    }

    private func statuses(_ summary: AssignmentSummary) -> [String] { summary.results.map(\.status) }

    @Test func manySerialsAreSentInBatchesOfAtMostAThousand() async throws {
        let uuid = profile
        let assigner = try makeAssigner { request in
            let serials = try request.decodedBody(ProfileServiceRequest.self).devices ?? []
            return try .json(
                AssignProfileResponse(
                    profileUUID: uuid, devices: DeviceResults(serials.map { ($0, DeviceResultStatus.success) })))
        }
        let serials = (0..<2500).map { String(format: "SN%08d", $0) }

        let summary = try await assigner.assigner.assign(profile, to: serials + serials.prefix(10))

        #expect(summary.requests == 3)
        #expect(try await assigner.batches().map(\.count) == [1000, 1000, 500])
        #expect(try await assigner.batches().flatMap { $0 } == serials)
        #expect(await assigner.transport.requests(to: "/profile/devices").allSatisfy { $0.method == "PUT" })
        #expect(summary.results.map(\.serial) == serials)
        #expect(summary.count(.success) == 2500)
        #expect(summary.retryNotBefore == nil)
        #expect(await assigner.sleeps.delays.isEmpty)
    }

    @Test func throttledDevicesAreResentAfterTheAskedWait() async throws {
        let assigner = try makeAssigner()
        await assigner.transport.enqueue(
            "/profile/devices",
            [
                try answer([("A", .success), ("B", .throttled), ("C", .throttled)], retryAfter: 5),
                try answer([("B", .success), ("C", .success)]),
            ])

        let summary = try await assigner.assigner.assign(profile, to: ["A", "B", "C"])

        #expect(await assigner.sleeps.delays == [5])
        let batches = try await assigner.batches()
        #expect(batches.first == ["A", "B", "C"])
        #expect(batches.dropFirst().map(Set.init) == [["B", "C"]])
        #expect(summary.requests == 2)
        #expect(statuses(summary) == ["SUCCESS", "SUCCESS", "SUCCESS"])
        #expect(summary.retryNotBefore == nil)
    }

    @Test func aWaitLongerThanMaxWaitIsLeftForALaterCall() async throws {
        let assigner = try makeAssigner(maxWait: 30)
        await assigner.transport.enqueue(
            "/profile/devices", [try answer([("A", .success), ("B", .throttled)], retryAfter: 120)])

        let summary = try await assigner.assigner.assign(profile, to: ["A", "B"])

        #expect(summary.requests == 1)
        #expect(await assigner.sleeps.delays.isEmpty)
        #expect(statuses(summary) == ["SUCCESS", "THROTTLED"])
        #expect(summary.retryNotBefore == now.addingTimeInterval(120))
    }

    @Test func throttledWithoutRetryAfterWaitsTheDefault() async throws {
        let assigner = try makeAssigner(maxWait: 90)
        await assigner.transport.enqueue(
            "/profile/devices", [try answer([("A", .throttled)]), try answer([("A", .success)])])

        let summary = try await assigner.assigner.assign(profile, to: ["A"])

        #expect(await assigner.sleeps.delays == [ProfileAssigner.defaultThrottleWait])
        #expect(statuses(summary) == ["SUCCESS"])
    }

    @Test func failedAndNotAccessibleDevicesAreNotResent() async throws {
        let assigner = try makeAssigner()
        await assigner.transport.enqueue(
            "/profile/devices", [try answer([("A", .failed), ("B", .notAccessible), ("C", .success)])])

        let summary = try await assigner.assigner.assign(profile, to: ["A", "B", "C"])

        #expect(summary.requests == 1)
        #expect(statuses(summary) == ["FAILED", "NOT_ACCESSIBLE", "SUCCESS"])
        #expect(summary.count(.failed) == 1)
        #expect(summary.count(.notAccessible) == 1)
        #expect(await assigner.sleeps.delays.isEmpty)
    }

    @Test func aSerialTheServiceDidNotAnswerForIsReportedNotSent() async throws {
        let assigner = try makeAssigner()
        await assigner.transport.enqueue("/profile/devices", [try answer([("A", .success)])])

        let summary = try await assigner.assigner.assign(profile, to: ["A", "B"])

        #expect(statuses(summary) == ["SUCCESS", "NOT_SENT"])
    }

    @Test func anUnknownProfileIsReportedAsSuch() async throws {
        let assigner = try makeAssigner()
        await assigner.transport.enqueue("/profile/devices", [.status(404, "NOT_FOUND")])

        let error = await #expect(throws: AgentError.self) {
            try await assigner.assigner.assign(profile, to: ["A"])
        }

        guard case .unknownProfile(let uuid)? = error else {
            Issue.record("expected unknownProfile, got \(String(describing: error))")
            return
        }
        #expect(uuid == profile)
    }

    @Test func otherRefusalsPassThrough() async throws {
        let assigner = try makeAssigner()
        await assigner.transport.enqueue("/profile/devices", [.status(400, "DEVICE_ID_REQUIRED")])

        let error = await #expect(throws: DEPClientError.self) {
            try await assigner.assigner.assign(profile, to: ["A"])
        }

        #expect(error?.kind == .refused(status: 400, code: .deviceIDRequired))
    }

    @Test func answersAreRecordedOnTheDevices() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitFetchPage(
            [Device(serialNumber: "A"), Device(serialNumber: "B")], cursor: "c1", generation: 1, complete: true,
            at: now, autoAssign: true)
        let assigner = try makeAssigner(store: store)
        await assigner.transport.enqueue("/profile/devices", [try answer([("A", .success), ("B", .failed)])])

        _ = try await assigner.assigner.assignPending(profile)

        let assigned = try #require(try await store.device("A"))
        #expect(assigned.profileState == .assigned)
        #expect(assigned.device.profileUUID == profile)
        #expect(assigned.assignResult == "SUCCESS")
        #expect(try await store.device("B")?.assignResult == "FAILED")
        #expect(try await store.events(of: "A").last?.source == "assign")
        #expect(try await store.pendingAutoAssignments(at: now.addingTimeInterval(3600)) == [])
        let afterCooldown = now.addingTimeInterval(ProfileAssigner.failedCooldown)
        #expect(try await store.pendingAutoAssignments(at: afterCooldown) == ["B"])
    }

    @Test func aDeferredThrottledDeviceStaysPendingForALaterCall() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitFetchPage(
            [Device(serialNumber: "A")], cursor: "c1", generation: 1, complete: true, at: now, autoAssign: true)
        let assigner = try makeAssigner(store: store, maxWait: 30)
        await assigner.transport.enqueue("/profile/devices", [try answer([("A", .throttled)], retryAfter: 120)])

        let summary = try await assigner.assigner.assignPending(profile)

        #expect(summary.retryNotBefore == now.addingTimeInterval(120))
        #expect(try await store.pendingAutoAssignments(at: now.addingTimeInterval(60)) == [])
        let pendingLater = try await store.pendingAutoAssignments(at: now.addingTimeInterval(121))
        #expect(pendingLater == ["A"])
    }

    @Test func aDeviceRestingAfterFailedOrThrottledIsNotSentByAnyCallUntilItsRestEnds() async throws {
        let store = try LocalStore(path: ":memory:")
        let serials = ["A", "B", "C"]
        _ = try await store.commitFetchPage(
            serials.map { Device(serialNumber: $0) }, cursor: "c1", generation: 1, complete: true, at: now,
            autoAssign: false)
        let first = try makeAssigner(store: store, maxWait: 30)
        await first.transport.enqueue(
            "/profile/devices",
            [
                try answer([("A", .failed), ("B", .throttled), ("C", .success)], retryAfter: 120),
                try answer([("B", .success)]), try answer([("A", .success)]),
            ])
        /// The same client and store, on a clock `seconds` after the first call's.
        func assign(_ serials: [String], after seconds: Double) async throws -> AssignmentSummary {
            let date = now.addingTimeInterval(seconds)
            return try await ProfileAssigner(client: first.scripted.client, store: store, now: { date })
                .assign(profile, to: serials)
        }

        _ = try await first.assigner.assign(profile, to: serials)
        let resting = try await assign(["A", "B"], after: 119)
        #expect(resting.requests == 0 && resting.resting == 2)
        #expect(statuses(resting) == ["FAILED", "THROTTLED"])
        #expect(resting.retryNotBefore == now.addingTimeInterval(120))

        let throttleOver = try await assign(["A", "B"], after: 120)
        #expect(statuses(throttleOver) == ["FAILED", "SUCCESS"])
        #expect(throttleOver.resting == 1)
        #expect(throttleOver.retryNotBefore == now.addingTimeInterval(ProfileAssigner.failedCooldown))
        let dayOver = try await assign(["A"], after: ProfileAssigner.failedCooldown)
        #expect(statuses(dayOver) == ["SUCCESS"] && dayOver.resting == 0)
        #expect(try await first.batches() == [["A", "B", "C"], ["B"], ["A"]])
    }

    @Test func nothingPendingSendsNothing() async throws {
        let assigner = try makeAssigner()

        let summary = try await assigner.assigner.assignPending(profile)

        #expect(summary.requests == 0)
        #expect(await assigner.transport.requests.isEmpty)
    }

    @Test(arguments: [
        (#"{"url": "https://mdm.example.com/enroll"}"#, "CONFIG_NAME_REQUIRED"),
        (#"{"profile_name": "Staff"}"#, "CONFIG_URL_REQUIRED"),
        (#"{"profile_name": "Staff", "url": "not a uri"}"#, "CONFIG_URL_INVALID"),
        (#"{"profile_name": "Staff", "url": "https://mdm.example.com", "is_mdm_removable": false}"#, "FLAGS_INVALID"),
        (
            #"{"profile_name": "Staff", "url": "https://mdm.example.com", "is_mdm_removable": false, "is_supervised": false}"#,
            "FLAGS_INVALID"
        ),
        (#"{"profile_name": "Staff", "url": "https://mdm.example.com", "language": "english"}"#, "LOCALE_INVALID"),
        (#"{"profile_name": "Staff", "url": "https://mdm.example.com", "department": ""}"#, "DEPARTMENT_INVALID"),
        (
            #"{"profile_name": "Staff", "url": "https://mdm.example.com", "anchor_certs": ["MIIB"]}"#,
            "MALFORMED_REQUEST_BODY"
        ),
        (
            #"{"profile_name": "Staff", "url": "https://mdm.example.com", "supervising_host_certs": ["not base64!"]}"#,
            "MALFORMED_REQUEST_BODY"
        ),
    ])
    func invalidProfilesAreRefusedWithTheCodeTheServiceWouldSend(json: String, code: String) throws {
        let error = #expect(throws: AgentError.self) {
            try ProfileDefinition.read(Data(json.utf8), path: "staff.json")
        }
        guard case .profileInvalid(let refused, let reason)? = error else {
            Issue.record("expected profileInvalid, got \(String(describing: error))")
            return
        }
        #expect(refused == code)
        #expect(!reason.isEmpty)
        #expect(error?.description.contains(code) == true)
    }

    @Test func aProfileThatIsNotJSONIsUnreadable() throws {
        let error = #expect(throws: AgentError.self) {
            try ProfileDefinition.read(Data("profile_name: Staff".utf8), path: "staff.yaml")
        }
        guard case .profileUnreadable(let path, _)? = error else {
            Issue.record("expected profileUnreadable, got \(String(describing: error))")
            return
        }
        #expect(path == "staff.yaml")
    }

    @Test func aValidProfileIsRead() throws {
        let json = #"""
            {"profile_name": "Staff", "url": "https://mdm.example.com/enroll", "is_supervised": true,
             "is_mdm_removable": false, "department": "IT", "language": "en", "region": "US",
             "skip_setup_items": ["Location", "Siri"]}
            """#

        let profile = try ProfileDefinition.read(Data(json.utf8), path: "staff.json")

        #expect(profile.profileName == "Staff")
        #expect(profile.url == "https://mdm.example.com/enroll")
        #expect(profile.isSupervised == true)
        #expect(profile.isMDMRemovable == false)
        #expect(profile.skipSetupItems == ["Location", "Siri"])
    }

    @Test func strictReadingRequiresOrgMagic() throws {
        let json = #"{"profile_name": "Staff", "url": "https://mdm.example.com"}"#
        #expect(throws: AgentError.self) {
            try ProfileDefinition.read(Data(json.utf8), path: "staff.json", strictness: .strict)
        }
        #expect(try ProfileDefinition.read(Data(json.utf8), path: "staff.json").profileName == "Staff")
    }
}
