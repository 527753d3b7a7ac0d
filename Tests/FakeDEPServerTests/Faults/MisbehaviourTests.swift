import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Apple's known misbehaviours, by name, on otherwise usual answers.
struct MisbehaviourTests {
    @Test func anEchoedCursorComesBackWithMoreToFollowAndNoDevices() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server)
            _ = try await server.world.assign(serials: try await server.freeSerials(5), to: enrolled.name)
            let session = try await DEPSession(server, enrolled)
            let first = try await session.decode(
                FetchDeviceResponse.self, "POST", "/server/devices", json: #"{"limit":2}"#)
            _ = try await FaultRuleTests.add(
                server, #"{"operation":"fetch_devices","times":1,"misbehaviour":"echoed_cursor"}"#)

            let echoed = try await session.decode(
                FetchDeviceResponse.self, "POST", "/server/devices", json: #"{"cursor":"\#(first.cursor)","limit":2}"#)
            #expect(echoed.cursor == first.cursor)
            #expect(echoed.moreToFollow == true)
            #expect((echoed.devices ?? []).isEmpty)
            // Once the rule is spent, the same cursor goes on as usual.
            let next = try await session.decode(
                FetchDeviceResponse.self, "POST", "/server/devices", json: #"{"cursor":"\#(first.cursor)","limit":2}"#)
            #expect((next.devices ?? []).count == 2)
            let entries = try await JournalTests.journal(server, query: "operation=fetch_devices").entries
            #expect(entries.map(\.fault) == [nil, "f1: misbehaviour echoed_cursor", nil])
        }
    }

    @Test func aRotatedSessionReplacesTheOldOne() async throws {
        try await TestServer.with { server in
            let session = try await DEPSession(server, try await EnrolledServer.make(server))
            _ = try await FaultRuleTests.add(server, #"{"operation":"account","misbehaviour":"session_rotation"}"#)
            let answer = try await session.call("GET", "/account")
            #expect(answer.status == 200)
            let fresh = try #require(answer.header(DEPHeader.authSession))
            #expect(fresh != session.token)
            let old = try await session.call("POST", "/server/devices", json: "{}")
            #expect(old.status == 401)
            let rotated = DEPSession(server, token: fresh)
            #expect(try await rotated.call("POST", "/server/devices", json: "{}").status == 200)
        }
    }

    @Test func aMoveIsReportedAsModifiedWithTheProfileRemoved() async throws {
        try await TestServer.with { server in
            let first = try await EnrolledServer.make(server, name: "First")
            _ = try await EnrolledServer.make(server, name: "Second")
            let serials = try await server.freeSerials(2)
            _ = try await server.world.assign(serials: serials, to: "First")
            let session = try await DEPSession(server, first)
            let fetched = try await session.decode(FetchDeviceResponse.self, "POST", "/server/devices", json: "{}")
            _ = try await server.world.assign(serials: [serials[0]], to: "Second")
            _ = try await FaultRuleTests.add(server, #"{"misbehaviour":"move_as_modified"}"#)

            let sync = try await session.decode(
                FetchDeviceResponse.self, "POST", "/devices/sync", json: #"{"cursor":"\#(fetched.cursor)"}"#)
            let device = try #require(sync.devices?.first)
            #expect(device.serialNumber == serials[0])
            #expect(device.opType == .modified)
            #expect(device.profileStatus == .removed)
        }
    }

    @Test func aRepeatedSerialComesAgainFirstOnTheNextPage() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server)
            _ = try await server.world.assign(serials: try await server.freeSerials(5), to: enrolled.name)
            let session = try await DEPSession(server, enrolled)
            _ = try await FaultRuleTests.add(
                server, #"{"operation":"fetch_devices","times":1,"misbehaviour":"repeated_serial"}"#)
            let first = try await session.decode(
                FetchDeviceResponse.self, "POST", "/server/devices", json: #"{"limit":2}"#)
            let second = try await session.decode(
                FetchDeviceResponse.self, "POST", "/server/devices", json: #"{"cursor":"\#(first.cursor)","limit":2}"#)
            let firstSerials = (first.devices ?? []).map(\.serialNumber)
            let secondSerials = (second.devices ?? []).map(\.serialNumber)
            #expect(secondSerials.count == 3)
            #expect(secondSerials.first == firstSerials.last)
            #expect(Set(firstSerials).intersection(secondSerials.dropFirst()).isEmpty)
        }
    }

    @Test func aThrottledDeviceIsHiddenFromFetchAndSyncForADayOfWorldTime() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server)
            let serials = try await server.freeSerials(3)
            _ = try await server.world.assign(serials: serials, to: enrolled.name)
            let session = try await DEPSession(server, enrolled)
            let profile = try await session.decode(
                DefineProfileResponse.self, "POST", "/profile",
                json: #"{"profile_name":"P","url":"https://mdm.example.com/enroll"}"#
            ).profileUUID
            let before = try await session.decode(FetchDeviceResponse.self, "POST", "/server/devices", json: "{}")
            _ = try await FaultRuleTests.add(server, #"{"times":1,"misbehaviour":"hidden_throttled"}"#)

            let assigned = try await session.decode(
                AssignProfileResponse.self, "PUT", "/profile/devices",
                json: #"{"profile_uuid":"\#(profile)","devices":["\#(serials[0])"]}"#)
            #expect(assigned.devices[serials[0]] == .throttled)
            #expect(assigned.retryAfterSeconds == 86_400)
            let fetched = try await session.decode(FetchDeviceResponse.self, "POST", "/server/devices", json: "{}")
            #expect(Set((fetched.devices ?? []).map(\.serialNumber)) == Set(serials.dropFirst()))
            let sync = try await session.decode(
                FetchDeviceResponse.self, "POST", "/devices/sync", json: #"{"cursor":"\#(before.cursor)"}"#)
            #expect((sync.devices ?? []).isEmpty)

            _ = try await server.send("POST", "/_fakedep/worlds/default/clock/advance", json: #"{"by":"P1DT1S"}"#)
            let later = try await DEPSession(server, enrolled)
            let again = try await later.decode(FetchDeviceResponse.self, "POST", "/server/devices", json: "{}")
            #expect(Set((again.devices ?? []).map(\.serialNumber)) == Set(serials))
        }
    }

    @Test(arguments: [
        (#"{"misbehaviour":"sulk"}"#, "not \"sulk\""),
        (#"{"operation":"account","misbehaviour":"echoed_cursor"}"#, "happens on fetch_devices and sync_devices"),
        (#"{"operation":"fetch_devices","misbehaviour":"move_as_modified"}"#, "happens on sync_devices"),
        (#"{"operation":"portal_list_orders","misbehaviour":"session_rotation"}"#, "DEP calls with a session"),
    ])
    func aBadMisbehaviourIsRefused(body: String, says: String) async throws {
        try await TestServer.with { server in
            let problem = try PortalProblem(
                try await server.send("POST", "/_fakedep/worlds/default/faults", json: body))
            #expect(problem.status == 400, "\(problem)")
            #expect(problem.message.contains(says), "\(problem)")
        }
    }
}
