import DEPTestSupport
import DEPWire
import Foundation
import GRDB
import Testing

@testable import DEPSync

/// The outbox: which events a stored page makes, their shape, and that an event is stored
/// exactly when its page's devices and cursor are.
@Suite struct LocalStoreOutboxTests {
    private let now = ScriptedClient.now

    private func device(_ serial: String, _ op: OperationType? = nil, profile: ProfileStatus? = nil) -> Device {
        Device(
            serialNumber: serial, description: "\(serial) description", model: "iPad Air", os: .iPadOS,
            deviceFamily: .iPad, profileUUID: profile.map { _ in "PROFILE-1" }, profileStatus: profile,
            opType: op, opDate: op.map { _ in now })
    }

    private func page(_ devices: [Device], cursor: String, more: Bool = false) -> PageAnnouncement {
        PageAnnouncement(
            depName: "Test MDM",
            page: FetchDeviceResponse(devices: devices, fetchedUntil: now, moreToFollow: more, cursor: cursor))
    }

    private func fetch(
        _ store: LocalStore, _ devices: [Device], cursor: String, generation: Int = 1, complete: Bool = true
    ) async throws {
        _ = try await store.commitFetchPage(
            devices, cursor: cursor, generation: generation, complete: complete, at: now, autoAssign: false,
            announcing: page(devices, cursor: cursor, more: !complete))
    }

    private func sync(_ store: LocalStore, _ devices: [Device], cursor: String) async throws {
        _ = try await store.commitSyncPage(
            devices, cursor: cursor, at: now, autoAssign: false, announcing: page(devices, cursor: cursor))
    }

    private func json(_ event: OutboxEvent) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: event.body) as? [String: Any])
    }

    /// The `devices` of each `depsync.DevicesChanged` event, in order.
    private func changes(_ events: [OutboxEvent]) throws -> [[String: Any]] {
        try events.filter { $0.topic == EventTopic.devicesChanged.rawValue }.flatMap { event in
            let body = try #require(try json(event)["devices_changed_event"] as? [String: Any])
            return try #require(body["devices"] as? [[String: Any]])
        }
    }

    @Test func aStoreWithNoTargetMakesNoEvents() async throws {
        let store = try LocalStore(path: ":memory:")
        try await fetch(store, [device("A")], cursor: "c1")
        #expect(try await store.events(after: 0).isEmpty)
    }

    @Test func aFetchPageMakesItsMicroMDMEventThenTheDevicesItAdded() async throws {
        let store = try LocalStore(path: ":memory:")
        try await store.addEventTarget(.webhook)
        try await fetch(store, [device("A"), device("B", profile: .pushed)], cursor: "c1", complete: false)

        let events = try await store.events(after: 0)
        #expect(events.map(\.topic) == ["dep.FetchDevices", "depsync.DevicesChanged"])
        let first = try json(events[0])
        #expect(first["topic"] as? String == "dep.FetchDevices")
        #expect(first["event_id"] as? String == events[0].eventID)
        #expect(first["created_at"] as? String == DEPDate.format(now))
        let body = try #require(first["device_response_event"] as? [String: Any])
        #expect(body["dep_name"] as? String == "Test MDM")
        let response = try #require(body["device_response"] as? [String: Any])
        #expect(response["cursor"] as? String == "c1")
        #expect(response["more_to_follow"] as? Bool == true)
        #expect((response["devices"] as? [[String: Any]])?.compactMap { $0["serial_number"] as? String } == ["A", "B"])
        #expect(Set(events.map(\.eventID)).count == 2)

        let added = try changes(events)
        #expect(added.compactMap { $0["serial_number"] as? String } == ["A", "B"])
        #expect(added.allSatisfy { $0["change"] as? String == "added" && $0["before"] == nil })
        #expect(added.map { $0["enrollment_status"] as? String } == ["Not contacted", "Contacted"])
        #expect((added[0]["after"] as? [String: Any])?["model"] as? String == "iPad Air")
    }

    @Test func theDeviceResponseOfAnEventValidatesAgainstTheFetchResponseSchema() async throws {
        let store = try LocalStore(path: ":memory:")
        try await store.addEventTarget(.webhook)
        try await fetch(store, [device("A"), device("B", profile: .assigned)], cursor: "c1")
        try await sync(store, [device("A", .modified, profile: .pushed), device("B", .deleted)], cursor: "c2")

        let pages = try await store.events(after: 0).filter { $0.topic.hasPrefix("dep.") }
        #expect(pages.map(\.topic) == ["dep.FetchDevices", "dep.SyncDevices"])
        let documents = try pages.map { event in
            let body = try #require(try json(event)["device_response_event"] as? [String: Any])
            let response = try #require(body["device_response"])
            return (schema: "FetchDeviceResponse", json: try JSONSerialization.data(withJSONObject: response))
        }
        try SchemaValidator.validate(documents)
    }

    @Test func aSyncPageReportsModifiedFieldsAndRemovalsNotRepeats() async throws {
        let store = try LocalStore(path: ":memory:")
        try await store.addEventTarget(.webhook)
        try await fetch(store, [device("A"), device("B"), device("C")], cursor: "c1")
        let before = try await store.events(after: 0).last?.sequence ?? 0

        // A gets a profile, B is deleted, C comes again exactly as stored.
        try await sync(
            store, [device("A", .modified, profile: .assigned), device("B", .deleted), device("C")], cursor: "c2")

        let events = try await store.events(after: before)
        #expect(events.map(\.topic) == ["dep.SyncDevices", "depsync.DevicesChanged"])
        let changed = try changes(events)
        #expect(changed.compactMap { $0["serial_number"] as? String } == ["A", "B"])
        #expect(changed[0]["change"] as? String == "modified")
        #expect(changed[0]["changed_fields"] as? [String] == ["profile_uuid", "profile_status"])
        #expect((changed[0]["before"] as? [String: Any])?["profile_status"] == nil)
        #expect((changed[0]["after"] as? [String: Any])?["profile_status"] as? String == "assigned")
        #expect(changed[1]["change"] as? String == "removed")
        #expect(changed[1]["enrollment_status"] as? String == "Removed")
        #expect(changed[1]["previous_enrollment_status"] as? String == "Not contacted")
    }

    @Test func aReconcilingFullFetchReportsTheDevicesItDidNotList() async throws {
        let store = try LocalStore(path: ":memory:")
        try await store.addEventTarget(.webhook)
        try await fetch(store, [device("A"), device("B")], cursor: "c1")
        let before = try await store.events(after: 0).last?.sequence ?? 0

        try await fetch(store, [device("A")], cursor: "c2", generation: 2)

        let events = try await store.events(after: before)
        #expect(events.map(\.topic) == ["dep.FetchDevices", "depsync.DevicesChanged"])
        let body = try #require(try json(events[1])["devices_changed_event"] as? [String: Any])
        #expect(body["source"] as? String == "reconcile")
        let removed = try changes(events)
        #expect(removed.compactMap { $0["serial_number"] as? String } == ["B"])
        #expect(removed[0]["change"] as? String == "removed")
    }

    @Test func manyChangesAreSplitIntoEventsOfAtMostAThousand() async throws {
        let store = try LocalStore(path: ":memory:")
        try await store.addEventTarget(.webhook)
        try await fetch(store, (0..<1500).map { device(String(format: "S%05d", $0)) }, cursor: "c1")

        let events = try await store.events(after: 0)
        #expect(events.map(\.topic) == ["dep.FetchDevices", "depsync.DevicesChanged", "depsync.DevicesChanged"])
        #expect(try changes(events).count == 1500)
    }

    /// A failure at any statement of a page's transaction (simulated by a trigger) leaves the
    /// page's devices, its cursor and its events all stored or none of them.
    @Test(arguments: ["devices", "sync_state", "outbox"])
    func anEventIsStoredExactlyWhenItsPagesDevicesAndCursorAre(failingTable: String) async throws {
        try await ScratchDirectory.with { directory in
            let store = try LocalStore(path: directory.appendingPathComponent("store.sqlite").path)
            try await store.addEventTarget(.webhook)
            try await fetch(store, [device("A")], cursor: "c1", complete: false)
            let operation = failingTable == "sync_state" ? "UPDATE" : "INSERT"
            try await store.write { db in
                try db.execute(
                    sql: """
                        CREATE TEMP TRIGGER fail AFTER \(operation) ON main.\(failingTable)
                        BEGIN SELECT RAISE(ABORT, 'simulated crash'); END
                        """)
            }

            await #expect(throws: (any Error).self) {
                try await fetch(store, [device("B")], cursor: "c2", complete: false)
            }
            try await store.write { db in try db.execute(sql: "DROP TRIGGER temp.fail") }

            #expect(try await store.device("B") == nil)
            #expect(try await store.syncState().cursor == "c1")
            let cursors = try await store.events(after: 0).filter { $0.topic == "dep.FetchDevices" }.map {
                (try json($0)["device_response_event"] as? [String: Any])?["device_response"] as? [String: Any]
            }.compactMap { $0?["cursor"] as? String }
            #expect(cursors == ["c1"])

            // And once the failure is gone, the page, its cursor and its events land together.
            try await fetch(store, [device("B")], cursor: "c2", complete: false)
            #expect(try await store.device("B") != nil)
            #expect(try await store.syncState().cursor == "c2")
            #expect(try await store.events(after: 0).map(\.topic).count == 4)
        }
    }

    @Test func eventsLeaveTheOutboxOnceEveryTargetHasThem() async throws {
        let store = try LocalStore(path: ":memory:")
        try await store.addEventTarget(.webhook)
        try await store.addEventTarget(.exec)
        try await fetch(store, [device("A")], cursor: "c1")
        let events = try await store.events(after: 0)
        #expect(events.count == 2)

        for event in events { try await store.markDelivered(event, to: .webhook, at: now) }
        #expect(try await store.events(after: 0).count == 2)
        #expect(try await store.delivery(of: .exec)?.pending == 2)
        #expect(try await store.delivery(of: .webhook)?.pending == 0)
        #expect(try await store.delivery(of: .webhook)?.lastDeliveredID == events[1].eventID)

        try await store.markDelivered(events[0], to: .exec, at: now)
        #expect(try await store.events(after: 0).map(\.eventID) == [events[1].eventID])
        try await store.removeEventTarget(.exec)
        #expect(try await store.events(after: 0).isEmpty)
    }

    @Test func aTargetAddedLaterStartsWithTheNextEvent() async throws {
        let store = try LocalStore(path: ":memory:")
        try await store.addEventTarget(.webhook)
        try await fetch(store, [device("A")], cursor: "c1")
        try await store.addEventTarget(.exec)
        #expect(try await store.delivery(of: .exec)?.pending == 0)
        #expect(try await store.delivery(of: .webhook)?.pending == 2)
    }
}
