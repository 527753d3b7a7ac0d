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
