import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `fakedep device boot SERIAL --enroll`: the device fetches its record and goes on to enroll
/// with the MDM the profile names, as the built binary, against a test server and a test MDM.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct DeviceEnrollCommandLineTests {
    /// A device assigned a profile whose url is `mdm`'s, trusting `anchors`; returns its serial.
    static func deviceEnrollingWith(
        _ mdm: TestMDM, anchors: [Data]?, awaitConfigured: Bool = false, _ server: TestServer
    ) async throws -> String {
        let linked = try await server.linkServer(devices: 1)
        var profile = Profile(profileName: "Enroll", url: mdm.enrollURL)
        profile.anchorCerts = anchors?.map { $0.base64EncodedString() }
        profile.isSupervised = true
        profile.awaitDeviceConfigured = awaitConfigured
        profile.devices = linked.serials
        _ = try await linked.session.defineProfile(try DEPJSON.encodeString(profile))
        return linked.serials[0]
    }

    @Test func theDeviceEnrollsWithTheMDMItsProfileNamesTrustingItsAnchors() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                try await TestMDM.with(answer: .profile(signed: true)) { mdm in
                    let serial = try await Self.deviceEnrollingWith(
                        mdm, anchors: [mdm.certificate], awaitConfigured: true, server)
                    let run = try await FakeDEPBinary.run(
                        ["device", "boot", serial, "--enroll"], server: server, in: directory)
                    #expect(run.status == 0, "\(run)")
                    let lines = run.standardOutput.split(separator: "\n").map(String.init)
                    #expect(lines.contains { $0.hasPrefix("\(serial) is now pushed: profile ") })
                    #expect(
                        lines.contains(
                            "\(serial) enrolled with \(mdm.enrollURL): profile \"Test MDM Enrollment\" (com.example.enroll), signed by Test MDM."
                        ))
                    #expect(
                        lines.contains(
                            "MDM payload: server https://mdm.example.com/mdm/connect, check-in https://mdm.example.com/mdm/checkin, topic com.apple.mgmt.External.test."
                        ))
                    #expect(lines.last == "The device waits in Setup Assistant until the MDM sends DeviceConfigured.")

                    // The MDM got the device's own description, signed with its identity.
                    let expected = try await server.world.machineInfo(serial: serial)
                    #expect(mdm.requests.map(\.machineInfo) == [expected])
                    #expect(mdm.requests.first?.signer == expected.udid)
                }
            }
        }
    }

    @Test func theRecordInPropertyListFormEnrollsTheSame() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                try await TestMDM.with(answer: .profile(signed: false)) { mdm in
                    let serial = try await Self.deviceEnrollingWith(mdm, anchors: [mdm.certificate], server)
                    let run = try await FakeDEPBinary.run(
                        ["device", "boot", serial, "--plist", "--enroll"], server: server, in: directory)
                    #expect(run.status == 0, "\(run)")
                    #expect(run.standardOutput.hasPrefix("<?xml"))
                    #expect(run.standardOutput.contains("(com.example.enroll), unsigned.\n"))
                    #expect(mdm.requests.count == 1)
                }
            }
        }
    }

    @Test func anMDMTheProfileDoesNotAnchorIsNotTrustedAndTheRunFails() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                try await TestMDM.with { mdm in
                    let serial = try await Self.deviceEnrollingWith(mdm, anchors: nil, server)
                    let run = try await FakeDEPBinary.run(
                        ["device", "boot", serial, "--enroll"], server: server, in: directory)
                    #expect(run.status != 0)
                    #expect(run.standardOutput.contains("\(serial) is now pushed"))
                    #expect(
                        run.standardError.hasPrefix(
                            "Error: The device does not trust \(mdm.enrollURL): its certificate does not chain to a system root"
                        ))
                    #expect(run.standardError.split(separator: "\n").count == 1)
                    #expect(mdm.requests.isEmpty)
                }
            }
        }
    }

    @Test func aRefusalIsReportedInOneLineAndTheRunFails() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                try await TestMDM.with(answer: .refusal(status: 403, body: "unknown device")) { mdm in
                    let serial = try await Self.deviceEnrollingWith(mdm, anchors: [mdm.certificate], server)
                    let run = try await FakeDEPBinary.run(
                        ["device", "boot", serial, "--enroll"], server: server, in: directory)
                    #expect(run.status != 0)
                    #expect(
                        run.standardError
                            == "Error: The MDM at \(mdm.enrollURL) did not enroll \(serial): it answered 403 (text/plain): unknown device.\n"
                    )
                }
            }
        }
    }

    @Test func aDeviceWithoutAProfileHasNothingToEnrollWith() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let serial = try await server.freeSerials(1)[0]
                let run = try await FakeDEPBinary.run(
                    ["device", "boot", serial, "--enroll"], server: server, in: directory)
                #expect(run.status != 0)
                #expect(run.standardOutput.hasPrefix("\(serial) gets no remote management (not_assigned)"))
                #expect(run.standardError == "Error: \(serial) has no MDM to enroll with: it has no profile.\n")
            }
        }
    }
}
