import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import Foundation
import Testing

/// depsync and a device against `fakedep serve --tls`, as the built binaries, trusting only the
/// authority fakedep made: the token, a session, a full fetch, and a device fetching its
/// activation record and its enrollment profile.
@Suite(
    .enabled(
        if: BuiltBinary.url("depsync") != nil && BuiltBinary.url("fakedep") != nil,
        "the binaries are not built; run `swift build` first"))
struct TLSFlowTests {
    @Test func depsyncAndADeviceTalkToAnHTTPSFakedepTrustingOnlyItsAuthority() async throws {
        let depsync = try #require(BuiltBinary.url("depsync"))
        let fakedep = try #require(BuiltBinary.url("fakedep"))
        try await ScratchDirectory.with { directory in
            try await ServedFakeDEP.with(["--tls", "--db", "fakedep.sqlite"], in: directory) { served in
                let authority = directory.appendingPathComponent("fakedep-tls/ca.pem").path
                let state = directory.appendingPathComponent("state").path
                func portal(_ arguments: [String]) async throws -> ChildProcess.Outcome {
                    try await ChildProcess.run(
                        fakedep, arguments + ["--url", served.url, "--ca-file", authority], in: directory)
                }
                func agent(_ arguments: [String]) async throws -> ChildProcess.Outcome {
                    try await ChildProcess.run(depsync, arguments + ["--state", state], in: directory)
                }

                #expect(try await agent(["token", "request"]).status == 0)
                let created = try await portal(["server", "create", "TLS MDM", "--certificate", "state/depsync.pem"])
                #expect(created.status == 0, "\(created)")
                let token = try await portal(["server", "token", "TLS MDM", "--output", "token.p7m"])
                #expect(token.status == 0, "\(token)")
                let imported = try await agent(["token", "import", "token.p7m", "--url", served.url])
                #expect(imported.status == 0, "\(imported)")

                // Without the authority the service is not trusted, and depsync says what to give.
                let untrusted = try await agent(["sync", "--once"])
                #expect(untrusted.status != 0)
                #expect(untrusted.standardError.contains("network error 60"), "\(untrusted)")
                #expect(untrusted.standardError.contains("give its certificate authority with --ca-file"))

                var trusting = TransportOptions()
                trusting.caFile = authority
                let orders = try await HTTPClient(userAgent: "tls-test/1.0", options: trusting)
                    .send(HTTPRequest(method: "GET", url: served.url + "/portal/orders"))
                let order = try #require(
                    (try JSONSerialization.jsonObject(with: orders.body) as? [[String: Any]])?.first?["number"]
                        as? String)
                let assigned = try await portal(["assign", "--server", "TLS MDM", "--order", order, "--count", "3"])
                #expect(assigned.status == 0, "\(assigned)")

                let synced = try await agent(["sync", "--once", "--ca-file", authority])
                #expect(synced.status == 0, "\(synced)")
                #expect(synced.standardOutput.hasPrefix("Full fetch: 3 received"), "\(synced)")
                // The authority is remembered with the URL: no --ca-file from here on.
                #expect(RememberedServiceCA.file(stateDirectory: state) != nil)
                let again = try await agent(["sync", "--once"])
                #expect(again.status == 0, "\(again)")

                try await TestMDM.with(answer: .profile(signed: true)) { mdm in
                    let profile: [String: Any] = [
                        "profile_name": "TLS", "url": mdm.enrollURL,
                        "anchor_certs": [mdm.certificate.base64EncodedString()],
                    ]
                    try JSONSerialization.data(withJSONObject: profile)
                        .write(to: directory.appendingPathComponent("profile.json"))
                    let defined = try await agent(["profile", "define", "profile.json"])
                    #expect(defined.status == 0, "\(defined)")
                    let uuid = try #require(
                        defined.standardOutput.split(separator: " ").dropFirst(2).first.map(String.init))
                    let assignedProfile = try await agent(["profile", "assign", uuid, "--unassigned"])
                    #expect(assignedProfile.status == 0, "\(assignedProfile)")

                    let devices = try await agent(["devices", "--json"])
                    let objects = try #require(
                        try JSONSerialization.jsonObject(with: devices.output) as? [[String: Any]])
                    let serial = try #require(objects.first?["serial_number"] as? String)
                    let booted = try await portal(["device", "boot", serial, "--enroll"])
                    #expect(booted.status == 0, "\(booted)")
                    #expect(booted.standardOutput.contains("\(serial) is now pushed"), "\(booted)")
                    #expect(booted.standardOutput.contains("\(serial) enrolled with \(mdm.enrollURL)"), "\(booted)")
                    #expect(mdm.requests.count == 1)

                    let refused = try await ChildProcess.run(
                        fakedep, ["device", "boot", serial, "--url", served.url], in: directory)
                    #expect(refused.status != 0)
                    #expect(refused.standardError.contains("does not trust"), "\(refused)")
                }
            }
        }
    }
}
