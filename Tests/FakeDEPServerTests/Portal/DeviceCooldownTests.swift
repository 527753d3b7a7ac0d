import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `PUT` and `DELETE /portal/devices/{serial}/cooldown`: Apple's cooldown after an assignment
/// change, in which assigning answers `THROTTLED` and fetch and sync leave the device out without
/// a `deleted` (dep-api §3.3, §3.8; fleet #45590).
struct DeviceCooldownTests {
    static let profile = #"{"profile_name":"Cooling","url":"https://mdm.example.com/enroll"}"#

    @Test func assigningAnswersThrottledWithTheSecondsLeftOnTheWorldClock() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Cooling MDM", devices: 2)
            let (cooling, other) = (linked.serials[0], linked.serials[1])
            let uuid = try await linked.session.defineProfile(Self.profile).profileUUID

            let cooldown = try await server.startCooldown(cooling, json: #"{"for":"PT6H"}"#)
            #expect(cooldown.serialNumber == cooling && cooldown.retryAfterSeconds == 21_600)
            #expect(cooldown.cooldownUntil == TestServer.start.addingTimeInterval(21_600))
            server.clock.advance(by: 3_600)

            let assign = #"{"profile_uuid":"\#(uuid)","devices":["\#(cooling)","\#(other)"]}"#
            let session = try await DEPSession(server, linked.enrolled)
            let assigned = try await session.decode(
                AssignProfileResponse.self, "POST", "/profile/devices", json: assign)
            #expect(assigned.devices[cooling] == .throttled && assigned.devices[other] == .success)
            #expect(assigned.retryAfterSeconds == 18_000)
            let record = try await session.device(cooling)
            #expect(record.profileStatus == .empty && record.profileUUID == nil)

            // THROTTLED is v9's; retry_after_seconds v10's; before v9 Apple says FAILED.
            let nine = try await DEPSession(server, linked.enrolled, version: 9)
            let ninth = try await nine.call("POST", "/profile/devices", json: assign)
            #expect(ninth.status == 200 && ninth.text.contains(#""\#(cooling)":"THROTTLED""#))
            #expect(!ninth.text.contains("retry_after_seconds"))
            let eight = try await DEPSession(server, linked.enrolled, version: 8)
            let eighth = try await eight.decode(AssignProfileResponse.self, "PUT", "/profile/devices", json: assign)
            #expect(eighth.devices[cooling] == .failed)
            let defined = try await eight.defineProfile(
                #"{"profile_name":"Cooling","url":"https://mdm.example.com/enroll","devices":["\#(cooling)"]}"#)
            #expect(defined.devices?[cooling] == .failed)
        }
    }

    @Test func theDeviceIsLeftOutOfFetchAndSyncUntilTheCooldownEnds() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Cooling MDM", devices: 3)
            let cooling = linked.serials[0]
            let cursor = try await linked.session.exhaustedCursor()
            server.clock.advance(by: 60)

            let cooldown = try await server.startCooldown(cooling, json: nil)
            #expect(cooldown.retryAfterSeconds == 86_400)
            try await server.setMigrationDeadline(cooling, #""2027-01-31""#)
            try await server.setMigrationDeadline(linked.serials[1], #""2027-01-31""#)

            let fetched = try await linked.session.fetchAll(limit: 1).pages.flatMap { $0.devices ?? [] }
            #expect(fetched.map(\.serialNumber) == Array(linked.serials.dropFirst()))
            let events = try await linked.session.syncPage(cursor: cursor).devices ?? []
            #expect(events.map(\.serialNumber) == [linked.serials[1]])
            #expect(events.map(\.opType) == [.modified])

            server.clock.advance(by: 86_400)
            let later = try await DEPSession(server, linked.enrolled)
            let back = try await later.fetchAll().pages.flatMap { $0.devices ?? [] }
            #expect(Set(back.map(\.serialNumber)) == Set(linked.serials))
            let replayed = try await later.syncPage(cursor: cursor).devices ?? []
            #expect(replayed.map(\.serialNumber) == [cooling, linked.serials[1]])
        }
    }

    @Test func endingTheCooldownBringsTheDeviceBackAtOnce() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Cooling MDM", devices: 1)
            let serial = linked.serials[0]
            let uuid = try await linked.session.defineProfile(Self.profile).profileUUID
            try await server.startCooldown(serial, json: #"{"for":3600}"#)
            #expect(try await linked.session.fetchPage().devices?.isEmpty == true)

            let ended = try await server.portal("DELETE", "/devices/\(serial)/cooldown")
            #expect(ended.status == 204)
            #expect(try await linked.session.fetchPage().devices?.map(\.serialNumber) == [serial])
            let assigned = try await linked.session.decode(
                AssignProfileResponse.self, "PUT", "/profile/devices",
                json: #"{"profile_uuid":"\#(uuid)","devices":["\#(serial)"]}"#)
            #expect(assigned.devices[serial] == .success && assigned.retryAfterSeconds == nil)
            // Ending a cooldown the device is not in does nothing.
            #expect(try await server.portal("DELETE", "/devices/\(serial)/cooldown").status == 204)
        }
    }

    @Test func refusalsChangeNothing() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Cooling MDM", devices: 1)
            let serial = linked.serials[0]
            let released = try await server.freeSerials(1)[0]
            _ = try await server.portalValue(
                PortalReport.self, "POST", "/devices/release", json: #"{"serials":["\#(released)"]}"#)

            let refusals: [(method: String, serial: String, json: String?, status: Int, error: String)] = [
                ("PUT", TestServer.unknownSerial, #"{"for":"P1D"}"#, 404, "NOT_FOUND"),
                ("DELETE", TestServer.unknownSerial, nil, 404, "NOT_FOUND"),
                ("PUT", released, nil, 400, "ALREADY_RELEASED"),
                ("PUT", "R-1", nil, 400, "INVALID_SERIAL"),
                ("PUT", serial + "%1B", nil, 400, "INVALID_REQUEST"),
                ("PUT", serial, #"{"for":"soon"}"#, 400, "INVALID_REQUEST"),
                ("PUT", serial, #"{"for":"P1D2H"}"#, 400, "INVALID_REQUEST"),
                ("PUT", serial, #"{"for":0}"#, 400, "INVALID_REQUEST"),
                ("PUT", serial, #"{"for":-60}"#, 400, "INVALID_REQUEST"),
                ("PUT", serial, #"{"for":"P367D"}"#, 400, "INVALID_REQUEST"),
                ("PUT", serial, #"{"for":1e300}"#, 400, "INVALID_REQUEST"),
                ("PUT", serial, #"{"for":null}"#, 400, "INVALID_REQUEST"),
                ("PUT", serial, #"{"duration":"P1D"}"#, 400, "INVALID_REQUEST"),
                ("PUT", serial, #""P1D""#, 400, "INVALID_REQUEST"),
            ]
            for refusal in refusals {
                let problem = try await server.portalProblem(
                    refusal.method, "/devices/\(refusal.serial)/cooldown", json: refusal.json)
                #expect(
                    problem.status == refusal.status && problem.error == refusal.error,
                    "\(refusal.method) \(refusal.serial) \(refusal.json ?? ""): \(problem)")
            }
            let bad = try await server.portalProblem("PUT", "/devices/\(serial)/cooldown", json: #"{"for":"soon"}"#)
            #expect(bad.message.contains(#"not "soon""#), "\(bad)")

            #expect(try await linked.session.fetchPage().devices?.map(\.serialNumber) == [serial])
            let uuid = try await linked.session.defineProfile(Self.profile).profileUUID
            let assigned = try await linked.session.decode(
                AssignProfileResponse.self, "PUT", "/profile/devices",
                json: #"{"profile_uuid":"\#(uuid)","devices":["\#(serial)"]}"#)
            #expect(assigned.devices[serial] == .success)
        }
    }

    @Test func aWorldsPortalCoolsItsOwnDevicesAndJournalsIt() async throws {
        try await TestServer.with { server in
            let id = try await WorldTests.createWorld(server, seed: #"{"devices":3,"seed":5}"#)
            let world = server.inWorld(id)
            let enrolled = try await EnrolledServer.makeThroughPortal(world, name: "World MDM")
            let serials = try await world.portalSerials()
            _ = try await world.assign(serials, to: "World MDM")

            let cooldown = try await world.startCooldown(serials[0], json: #"{"for":"PT1H"}"#)
            #expect(cooldown.retryAfterSeconds == 3_600)
            let session = try await DEPSession(server, enrolled)
            let fetched = try await session.fetchAll().pages.flatMap { $0.devices ?? [] }
            #expect(Set(fetched.map(\.serialNumber)) == Set(serials.dropFirst()))
            #expect(try await world.portal("DELETE", "/devices/\(serials[0])/cooldown").status == 204)
            // The default world has no such device.
            let elsewhere = try await server.portalProblem("PUT", "/devices/\(serials[0])/cooldown")
            #expect(elsewhere.status == 404 && elsewhere.error == "NOT_FOUND")

            let journal = try await server.send("GET", "/_fakedep/worlds/\(id)/journal")
            let entries = try DEPJSON.decode(JournalPageBody.self, from: journal.body).entries
            let cooldowns = entries.filter { $0.path.hasSuffix("/cooldown") }
            #expect(cooldowns.map(\.operation) == ["portal_start_cooldown", "portal_end_cooldown"])
            #expect(cooldowns.map(\.status) == [200, 204])
        }
    }
}

extension TestServer {
    /// Puts `serial` in a cooldown through the portal, with `json` as the body (none for a day).
    @discardableResult
    func startCooldown(_ serial: String, json: String?) async throws -> DeviceCooldown {
        try await portalValue(DeviceCooldown.self, "PUT", "/devices/\(PortalPath.escape(serial))/cooldown", json: json)
    }
}
