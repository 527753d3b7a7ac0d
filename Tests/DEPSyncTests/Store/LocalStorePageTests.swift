import DEPTestSupport
import DEPWire
import Foundation
import Testing

@testable import DEPSync

/// How `LocalStore` stores fetch and sync pages: devices and cursor together, reconciliation of
/// a completed full fetch, repeated and stale sync operations, removals and returns, the
/// enrollment-status views and filters, auto-assign marking, and the store file itself.
@Suite struct LocalStorePageTests {
    private let now = ScriptedClient.now

    /// `minutes` after `now`.
    private func time(_ minutes: Double) -> Date { now.addingTimeInterval(minutes * 60) }

    private func device(
        _ serial: String, _ op: OperationType? = nil, at minutes: Double? = nil, profile: ProfileStatus? = nil,
        model: String? = "iPad Air"
    ) -> Device {
        Device(
            serialNumber: serial, description: "\(serial) description", model: model, os: .iPadOS,
            deviceFamily: .iPad, profileUUID: profile.map { _ in "PROFILE-1" }, profileStatus: profile,
            deviceAssignedBy: "admin@example.com", opType: op, opDate: minutes.map(time))
    }

    /// A minimal `deleted` entry, as Apple sends them (dep-api §3.3).
    private func deletion(_ serial: String, at minutes: Double) -> Device {
        Device(serialNumber: serial, opType: .deleted, opDate: time(minutes))
    }

    private func serials(_ devices: [LocalDevice]) -> [String] { devices.map(\.serialNumber) }

    @Test func aFetchPageStoresItsDevicesAndItsCursorTogether() async throws {
        let store = try LocalStore(path: ":memory:")

        let changes = try await store.commitFetchPage(
            [device("A"), device("B")], cursor: "c1", generation: 1, complete: false, at: now, autoAssign: false)

        #expect(changes == PageChanges(added: 2))
        #expect(serials(try await store.devices()) == ["A", "B"])
        let state = try await store.syncState()
        #expect(state.cursor == "c1")
        #expect(state.phase == .fetch)
        #expect(state.cursorSaved == now)
        #expect(state.fetchGeneration == 1)
        #expect(state.lastFullFetch == nil)
        let stored = try #require(try await store.device("A"))
        #expect(stored.device.model == "iPad Air")
        #expect(stored.device.os == .iPadOS)
        #expect(stored.firstSeen == now)
        #expect(stored.removed == nil)
        #expect(try await store.events(of: "A").map(\.source) == ["fetch"])
    }

    @Test func textWithANulIsStoredWholeNeverCutAtIt() async throws {
        let store = try LocalStore(path: ":memory:")
        var nul = device("C02NUL\u{0}TAIL")
        nul.model = "Mac\u{0}Book"
        nul.imei = ["35\u{0}1"]

        _ = try await store.commitFetchPage(
            [nul], cursor: "c\u{0}1", generation: 1, complete: false, at: now, autoAssign: false)

        #expect(serials(try await store.devices()) == ["C02NUL\u{FFFD}TAIL"])
        let stored = try #require(try await store.device("C02NUL\u{FFFD}TAIL"))
        #expect(stored.device.model == "Mac\u{FFFD}Book")
        #expect(stored.device.imei == ["35\u{FFFD}1"])
        #expect(try await store.device("C02NUL") == nil)
        #expect(try await store.syncState().cursor == "c\u{FFFD}1")
    }

    @Test func aDeviceListedAgainByTheSameFetchIsRepeatedNotNews() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitFetchPage(
            [device("A"), device("B")], cursor: "c1", generation: 1, complete: false, at: now, autoAssign: false)

        let again = try await store.commitFetchPage(
            [device("A"), device("B")], cursor: "c2", generation: 1, complete: false, at: now, autoAssign: false)
        let nextFetch = try await store.commitFetchPage(
            [device("A")], cursor: "c3", generation: 2, complete: false, at: now, autoAssign: false)

        #expect(again == PageChanges(modified: 2, repeated: 2))
        #expect(!again.bringsNews)
        #expect(nextFetch == PageChanges(modified: 1))
        #expect(nextFetch.bringsNews)
    }

    @Test func aSyncEventEqualToTheStoredRecordIsRepeatedNotNews() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitSyncPage([device("A", .added, at: 1)], cursor: "c1", at: now, autoAssign: false)

        let same = try await store.commitSyncPage(
            [device("A", .added, at: 1)], cursor: "c2", at: now, autoAssign: false)
        let later = try await store.commitSyncPage(
            [device("A", .modified, at: 2)], cursor: "c3", at: now, autoAssign: false)
        var pushed = device("A", .modified, at: 2)
        pushed.profileStatus = .pushed
        let changed = try await store.commitSyncPage([pushed], cursor: "c4", at: now, autoAssign: false)

        #expect(same == PageChanges(modified: 1, repeated: 1))
        #expect(!same.bringsNews)
        #expect(later == PageChanges(modified: 1))
        #expect(changed == PageChanges(modified: 1))
        #expect(!PageChanges().bringsNews)
    }

    @Test func theLastFetchPageMovesToSync() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitFetchPage(
            [device("A")], cursor: "c1", generation: 1, complete: false, at: now, autoAssign: false)

        _ = try await store.commitFetchPage(
            [device("B")], cursor: "c2", generation: 1, complete: true, at: time(1), autoAssign: false)

        let state = try await store.syncState()
        #expect(state.cursor == "c2")
        #expect(state.phase == .sync)
        #expect(state.lastFullFetch == time(1))
        #expect(try await store.counts().total == 2)
    }

    @Test func aCompletedLaterFetchMarksTheDevicesItDidNotListRemoved() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitFetchPage(
            [device("A"), device("B"), device("C")], cursor: "c1", generation: 1, complete: true, at: now,
            autoAssign: false)

        let first = try await store.commitFetchPage(
            [device("A")], cursor: "c2", generation: 2, complete: false, at: time(1), autoAssign: false)
        #expect(first.removed == 0)
        #expect(try await store.device("C")?.enrollmentStatus == .notContacted)
        let last = try await store.commitFetchPage(
            [device("B")], cursor: "c3", generation: 2, complete: true, at: time(2), autoAssign: false)

        #expect(last == PageChanges(modified: 1, removed: 1))
        let removed = try #require(try await store.device("C"))
        #expect(removed.enrollmentStatus == .removed)
        #expect(removed.removed == time(2))
        #expect(removed.device.model == "iPad Air")
        let event = try #require(try await store.events(of: "C").last)
        #expect(event.source == "reconcile")
        #expect(event.opType == OperationType.deleted.rawValue)
        #expect(event.recorded == time(2))
        #expect(try await store.device("A")?.removed == nil)
        #expect(try await store.device("B")?.removed == nil)
        #expect(try await store.counts().byStatus == [.notContacted: 2, .removed: 1])
    }

    @Test func aDeviceRemovedByReconciliationReturnsWithTheNextFetchThatListsIt() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitFetchPage(
            [device("A"), device("B")], cursor: "c1", generation: 1, complete: true, at: now, autoAssign: false)
        _ = try await store.commitFetchPage(
            [device("A")], cursor: "c2", generation: 2, complete: true, at: time(1), autoAssign: false)

        let changes = try await store.commitFetchPage(
            [device("A"), device("B")], cursor: "c3", generation: 3, complete: true, at: time(2), autoAssign: false)

        #expect(changes == PageChanges(added: 1, modified: 1))
        #expect(try await store.device("B")?.removed == nil)
        #expect(try await store.events(of: "B").map(\.source) == ["fetch", "reconcile", "fetch"])
    }

    @Test func aSerialRepeatedInASyncPageKeepsItsLatestOperation() async throws {
        let store = try LocalStore(path: ":memory:")

        let changes = try await store.commitSyncPage(
            [
                device("S", .added, at: 1), device("S", .modified, at: 3, profile: .assigned),
                device("S", .modified, at: 2, profile: .pushed),
            ], cursor: "s1", at: now, autoAssign: false)

        #expect(changes == PageChanges(added: 1))
        let stored = try #require(try await store.device("S"))
        #expect(stored.device.opType == .modified)
        #expect(stored.device.opDate == time(3))
        #expect(stored.device.profileStatus == .assigned)
        #expect(try await store.events(of: "S").count == 1)
        let state = try await store.syncState()
        #expect(state.cursor == "s1")
        #expect(state.phase == .sync)
    }

    @Test func anOperationOlderThanTheAppliedOneIsRecordedAsStaleAndNotApplied() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitSyncPage(
            [device("S", .modified, at: 5, profile: .pushed)], cursor: "s1", at: now, autoAssign: false)

        let changes = try await store.commitSyncPage(
            [device("S", .modified, at: 2, profile: .assigned)], cursor: "s2", at: time(10), autoAssign: false)

        #expect(changes == PageChanges(stale: 1))
        let stored = try #require(try await store.device("S"))
        #expect(stored.device.profileStatus == .pushed)
        #expect(stored.device.opDate == time(5))
        let events = try await store.events(of: "S")
        #expect(events.map(\.source) == ["sync", "sync-stale"])
        #expect(events.last?.opDate == time(2))
        #expect(events.last?.profileStatus == "assigned")
        #expect(try await store.syncState().cursor == "s2")
    }

    @Test func aDeletedDeviceComesBackWhenAddedAgain() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitSyncPage([device("S", .added, at: 1)], cursor: "s1", at: now, autoAssign: false)

        let deleted = try await store.commitSyncPage(
            [deletion("S", at: 2)], cursor: "s2", at: time(2), autoAssign: false)
        #expect(deleted == PageChanges(removed: 1))
        #expect(try await store.device("S")?.enrollmentStatus == .removed)
        #expect(try await store.device("S")?.removed == time(2))

        let added = try await store.commitSyncPage(
            [device("S", .added, at: 3)], cursor: "s3", at: time(3), autoAssign: false)

        #expect(added == PageChanges(added: 1))
        let stored = try #require(try await store.device("S"))
        #expect(stored.removed == nil)
        #expect(stored.enrollmentStatus == .notContacted)
        #expect(stored.firstSeen == now)
        #expect(try await store.events(of: "S").map(\.opType) == ["added", "deleted", "added"])
    }

    @Test func aMinimalDeletedEntryKeepsWhatTheStoreKnewOfTheDevice() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitSyncPage(
            [device("S", .added, at: 1, profile: .assigned)], cursor: "s1", at: now, autoAssign: false)

        _ = try await store.commitSyncPage([deletion("S", at: 2)], cursor: "s2", at: time(2), autoAssign: false)

        let stored = try #require(try await store.device("S"))
        #expect(stored.enrollmentStatus == .removed)
        #expect(stored.removed == time(2))
        #expect(stored.device.opType == .deleted)
        #expect(stored.device.opDate == time(2))
        #expect(stored.device.model == "iPad Air")
        #expect(stored.device.description == "S description")
        #expect(stored.device.profileUUID == "PROFILE-1")
    }

    @Test func aDeletionOfADeviceNeverSeenIsKeptOnlyForItsHistory() async throws {
        let store = try LocalStore(path: ":memory:")

        let changes = try await store.commitSyncPage([deletion("X", at: 1)], cursor: "s1", at: now, autoAssign: true)

        #expect(changes == PageChanges())
        #expect(try await store.device("X")?.enrollmentStatus == .removed)
        #expect(try await store.events(of: "X").map(\.opType) == ["deleted"])
        #expect(try await store.pendingAutoAssignments(at: now) == [])
        #expect(try await store.counts().byStatus == [.removed: 1])
    }

    @Test func latestPerSerialKeepsTheFirstAppearanceOrderAndTheLatestDate() {
        let page = [
            device("A", .added, at: 1), device("B", .added, at: 1), device("A", .modified, at: 4),
            device("C", .added, at: 2), device("B", .modified, at: 0), device("A", .modified, at: 4, profile: .pushed),
        ]

        let latest = LocalStore.latestPerSerial(page)

        #expect(latest.map(\.serialNumber) == ["A", "B", "C"])
        #expect(latest[0] == page[5])
        #expect(latest[1] == page[1])
        #expect(latest[2] == page[3])
    }

    @Test func latestPerSerialPrefersADatedOperationToAnUndatedOne() {
        let page = [device("A", .modified, at: 1), device("A", .modified)]
        #expect(LocalStore.latestPerSerial(page) == [page[0]])
        #expect(LocalStore.latestPerSerial([]) == [])
    }

    /// A: no profile, B: assigned, C: pushed, D: its profile removed, then absent from a full fetch.
    private func storeWithEveryStatus() async throws -> LocalStore {
        let store = try LocalStore(path: ":memory:")
        let present = [device("A"), device("B", profile: .assigned), device("C", profile: .pushed)]
        _ = try await store.commitFetchPage(
            present + [device("D", profile: .removed)], cursor: "c1", generation: 1, complete: true, at: now,
            autoAssign: false)
        _ = try await store.commitFetchPage(
            present, cursor: "c2", generation: 2, complete: true, at: time(1), autoAssign: false)
        return store
    }

    @Test func countsGroupDevicesByStatusAndPresentOnesByProfile() async throws {
        let store = try await storeWithEveryStatus()

        let counts = try await store.counts()

        #expect(counts.byStatus == [.notContacted: 2, .contacted: 1, .removed: 1])
        #expect(counts.byProfile == [.noProfile: 1, .assigned: 1, .pushed: 1])
        #expect(counts.total == 4)
    }

    @Test func anEmptyStoreCountsNothing() async throws {
        let counts = try await LocalStore(path: ":memory:").counts()
        #expect(counts.total == 0)
        #expect(counts.byProfile.isEmpty)
    }

    @Test(arguments: [
        ("not contacted", DeviceStatusFilter.enrollment(.notContacted)), ("CONTACTED", .enrollment(.contacted)),
        ("Removed", .enrollment(.removed)), ("no PROFILE", .profile(.noProfile)), ("assigned", .profile(.assigned)),
        ("Pushed", .profile(.pushed)), ("profile removed", .profile(.profileRemoved)),
    ])
    func statusFilterNamesIgnoreCase(name: String, filter: DeviceStatusFilter) {
        #expect(DeviceStatusFilter(name) == filter)
    }

    @Test(arguments: ["", "bogus", "not_contacted", "notcontacted", "removed profile"])
    func unknownStatusNamesAreRefused(name: String) {
        #expect(DeviceStatusFilter(name) == nil)
    }

    @Test func everyFilterNameReadsBack() {
        #expect(DeviceStatusFilter.names.count == EnrollmentStatus.allCases.count + ProfileState.allCases.count)
        for name in DeviceStatusFilter.names { #expect(DeviceStatusFilter(name) != nil) }
    }

    @Test(arguments: [
        (DeviceStatusFilter.enrollment(.notContacted), ["A", "B"]), (.enrollment(.contacted), ["C"]),
        (.enrollment(.removed), ["D"]), (.profile(.noProfile), ["A"]), (.profile(.assigned), ["B"]),
        (.profile(.pushed), ["C"]),
    ])
    func devicesAreListedByStatus(filter: DeviceStatusFilter, expected: [String]) async throws {
        let store = try await storeWithEveryStatus()
        #expect(serials(try await store.devices(status: filter)) == expected)
    }

    @Test func devicesArePagedBySerial() async throws {
        let store = try await storeWithEveryStatus()
        #expect(serials(try await store.devices(limit: 2)) == ["A", "B"])
        #expect(serials(try await store.devices(after: "B", limit: 2)) == ["C", "D"])
        #expect(serials(try await store.devices(status: .enrollment(.notContacted), after: "A")) == ["B"])
    }

    @Test func arrivalsWithoutAProfileAreMarkedForAutoAssignment() async throws {
        let store = try LocalStore(path: ":memory:")

        _ = try await store.commitFetchPage(
            [
                device("A"), device("B", profile: .assigned), device("C", profile: .empty),
                device("D", profile: .pushed),
            ],
            cursor: "c1", generation: 1, complete: true, at: now, autoAssign: true)

        #expect(try await store.pendingAutoAssignments(at: now) == ["A", "C"])
    }

    @Test func devicesAreMarkedOnlyWhenAutoAssignIsOnAndOnlyOnArrival() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitFetchPage(
            [device("A")], cursor: "c1", generation: 1, complete: true, at: now, autoAssign: false)

        _ = try await store.commitSyncPage(
            [device("A", .modified, at: 1), device("B", .added, at: 1)], cursor: "s1", at: time(1), autoAssign: true)

        #expect(try await store.pendingAutoAssignments(at: time(1)) == ["B"])
        _ = try await store.commitSyncPage([deletion("B", at: 2)], cursor: "s2", at: time(2), autoAssign: true)
        #expect(try await store.pendingAutoAssignments(at: time(2)) == [])
    }

    @Test func aDeviceMovedInWithItsProfileRemovedIsMarkedForAutoAssignment() async throws {
        // A device moved from another MDM server arrives as `modified` with `profile_status`
        // `removed` (dep-api §3.3): it has no profile, as `unassignedSerials` agrees.
        let store = try LocalStore(path: ":memory:")

        _ = try await store.commitSyncPage(
            [device("M", .modified, at: 1, profile: .removed)], cursor: "s1", at: now, autoAssign: true)

        #expect(try await store.unassignedSerials() == ["M"])
        let pending = try await store.pendingAutoAssignments(at: now)
        #expect(pending == ["M"])
    }

    @Test func aFileStoreIsPrivateToItsOwnerAndSurvivesReopening() async throws {
        try await ScratchDirectory.with { directory in
            let path = directory.appendingPathComponent("depsync.sqlite").path
            do {
                let store = try LocalStore(path: path)
                _ = try await store.commitFetchPage(
                    [device("A"), device("B")], cursor: "c1", generation: 1, complete: false, at: now,
                    autoAssign: false)
                try await store.storeToken(ScriptedClient.tokens, at: now)
            }
            for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
                let attributes = try FileManager.default.attributesOfItem(atPath: file)
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(file)")
            }

            let reopened = try LocalStore(path: path)

            #expect(serials(try await reopened.devices()) == ["A", "B"])
            #expect(try await reopened.syncState().cursor == "c1")
            #expect(try await reopened.token()?.tokens == ScriptedClient.tokens)
        }
    }
}
