import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `devices` faults: a per-device operation answers 200 with the rule's result for its devices,
/// which are left as they were, shaped by the protocol version as Apple shapes them.
struct DeviceFaultTests {
    @Test func throttledAssignmentsSayWhenToRetryFromVersion10AndAreFailedBefore9() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server)
            let serials = try await server.freeSerials(3)
            _ = try await server.world.assign(serials: serials, to: enrolled.name)
            let session = try await DEPSession(server, enrolled)
            let profile = try await session.decode(
                DefineProfileResponse.self, "POST", "/profile",
                json: #"{"profile_name":"P","url":"https://mdm.example.com/enroll"}"#
            ).profileUUID
            _ = try await FaultRuleTests.add(
                server, #"{"operation":"assign_profile","devices":{"result":"THROTTLED","retry_after_seconds":30}}"#)
            let assign = #"{"profile_uuid":"\#(profile)","devices":["\#(serials.joined(separator: #"",""#))"]}"#

            let answer = try await session.decode(AssignProfileResponse.self, "PUT", "/profile/devices", json: assign)
            #expect(answer.devices.map(\.value) == [.throttled, .throttled, .throttled])
            #expect(answer.retryAfterSeconds == 30)
            var old = session
            old.version = 8
            let before9 = try await old.decode(AssignProfileResponse.self, "PUT", "/profile/devices", json: assign)
            #expect(before9.devices.map(\.value) == [.failed, .failed, .failed])
            #expect(before9.retryAfterSeconds == nil)

            // Nothing was assigned.
            let details = try await session.decode(
                DeviceListResponse.self, "POST", "/devices", json: #"{"devices":["\#(serials[0])"]}"#)
            guard case .device(let device)? = details.devices[serials[0]] else {
                Issue.record("no details for \(serials[0])")
                return
            }
            #expect(device.profileUUID == nil)
            let entry = try #require(
                try await JournalTests.journal(server, query: "operation=assign_profile&limit=1").entries.first)
            #expect(entry.fault == "f1: devices THROTTLED retry_after_seconds: 30")
        }
    }

    @Test func aRuleForOneSerialSetsThatDevicesResultAlone() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server)
            let serials = try await server.freeSerials(2)
            _ = try await server.world.assign(serials: serials, to: enrolled.name)
            let session = try await DEPSession(server, enrolled)
            _ = try await FaultRuleTests.add(
                server, #"{"operation":"device_details","serial":"\#(serials[1])","devices":{"result":"FAILED"}}"#)
            let details = try await session.decode(
                DeviceListResponse.self, "POST", "/devices", json: #"{"devices":["\#(serials[0])","\#(serials[1])"]}"#)
            guard case .device? = details.devices[serials[0]] else {
                Issue.record("the other device lost its details")
                return
            }
            #expect(details.devices[serials[1]] == .status(.failed))
        }
    }

    @Test(arguments: [
        (#"{"operation":"fetch_devices","devices":{"result":"FAILED"}}"#, "a result per device"),
        (#"{"serial":"C02X","error":{"status":500}}"#, "serial goes with a devices action"),
        (#"{"devices":{"result":"SUCCESS"}}"#, "not \"SUCCESS\""),
        (#"{"devices":{"result":"FAILED","retry_after_seconds":5}}"#, "goes with THROTTLED"),
        (#"{"devices":{"result":"THROTTLED","retry_after_seconds":-5}}"#, "0 or more"),
        (#"{"devices":{"result":"THROTTLED","wait":5}}"#, "no field \"wait\""),
    ])
    func aBadDevicesRuleIsRefused(body: String, says: String) async throws {
        try await TestServer.with { server in
            let problem = try PortalProblem(
                try await server.send("POST", "/_fakedep/worlds/default/faults", json: body))
            #expect(problem.status == 400, "\(problem)")
            #expect(problem.message.contains(says), "\(problem)")
            #expect(try await FaultRuleTests.list(server).isEmpty)
        }
    }
}
