import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `fakedep device boot`, run as the built binary against a test server.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct DeviceCommandLineTests {
    @Test func bootPrintsTheRecordAsJSONAndSaysTheDeviceIsPushed() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let (linked, uuid) = try await DeviceBootTests.serverWithProfile(server)
                let serial = linked.serials[0]
                let run = try await FakeDEPBinary.run(["device", "boot", serial], server: server, in: directory)
                #expect(run.status == 0, "\(run)")
                var lines = run.standardOutput.split(separator: "\n").map(String.init)
                let last = lines.removeLast()
                #expect(
                    last
                        == "\(serial) is now pushed: profile \(uuid), profile_push_time \(DEPDate.format(server.clock.now))."
                )
                let record = try DEPJSON.decode(CloudConfiguration.self, from: lines.joined(separator: "\n"))
                let expected = try await DeviceBootTests.expectedConfiguration(server)
                #expect(record == expected)
                #expect(lines.contains(#"  "ConfigurationURL" : "https://mdm.acme.example/enroll","#))
                #expect(try await linked.session.device(serial).profileStatus == .pushed)
            }
        }
    }

    @Test func bootWithPlistPrintsThePropertyList() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let (linked, _) = try await DeviceBootTests.serverWithProfile(server)
                let serial = linked.serials[0]
                let run = try await FakeDEPBinary.run(
                    ["device", "boot", serial, "--plist"], server: server, in: directory)
                #expect(run.status == 0, "\(run)")
                let expected = try await DeviceBootTests.expectedConfiguration(server)
                #expect(run.standardOutput.hasPrefix(expected.propertyList))
                #expect(run.standardOutput.contains("\n\(serial) is now pushed: profile "))
            }
        }
    }

    @Test func aDeviceWithoutAProfileIsToldItGetsNoRemoteManagement() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let serial = try await server.freeSerials(1)[0]
                let run = try await FakeDEPBinary.run(["device", "boot", serial], server: server, in: directory)
                #expect(run.status == 0, "\(run)")
                #expect(
                    run.standardOutput.hasPrefix(
                        "\(serial) gets no remote management (not_assigned): \(serial) is not assigned to any MDM server"
                    ))
                #expect(run.standardOutput.split(separator: "\n").count == 1)
            }
        }
    }

    @Test func anUnknownSerialFailsWithThePortalsMessage() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let run = try await FakeDEPBinary.run(
                    ["device", "boot", TestServer.unknownSerial], server: server, in: directory)
                #expect(run.status != 0)
                #expect(run.standardOutput.isEmpty)
                #expect(
                    run.standardError
                        == "Error: No device with serial \(TestServer.unknownSerial) belongs to the organisation; list them with `fakedep devices`.\n"
                )
            }
        }
    }
}
