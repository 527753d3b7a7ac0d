import DEPCrypto
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `fakedep configurator …` and `fakedep device release-provisional`, run as the built binary.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct ConfiguratorCommandLineTests {
    @Test func addAssignsAtOnceAndReleaseProvisionalTakesTheDeviceOut() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let linked = try await server.linkServer("CLI MDM")
                let cursor = try await linked.session.exhaustedCursor()
                let add = try await FakeDEPBinary.run(
                    [
                        "configurator", "add", "CFGCLI00001", "CFGCLI00002", "--model", "iPhone 16", "--server",
                        "CLI MDM",
                    ],
                    server: server, in: directory)
                #expect(add.status == 0, "\(add)")
                let output = add.standardOutput.split(separator: "\n").map(String.init)
                #expect(output.first == "added: 2")
                #expect(
                    output.dropFirst().allSatisfy {
                        $0.hasSuffix(": added (assigned to CLI MDM; provisional for 30 days once enrolled)")
                    })
                for serial in ["CFGCLI00001", "CFGCLI00002"] {
                    let device = try await server.inventoryRecord(serial)
                    #expect(device.purchaseSource == "MANUALLY_ADDED" && device.server == "CLI MDM")
                    #expect(device.provisionalUntil == nil)
                }

                let release = try await FakeDEPBinary.run(
                    ["device", "release-provisional", "cfgcli00001"], server: server, in: directory)
                #expect(release.status == 0, "\(release)")
                #expect(release.standardOutput == "CFGCLI00001: released\n")
                let events = try await linked.session.syncPage(cursor: cursor).devices ?? []
                #expect(events.map(\.opType) == [.added, .added, .deleted])
                #expect(events.last?.serialNumber == "CFGCLI00001")
            }
        }
    }

    @Test func bootingAConfiguratorDeviceSaysWhenItsProvisionalPeriodEnds() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let linked = try await server.linkServer("Boot MDM")
                _ = try await server.configuratorAdd(["CFGCLI00005"], model: "iPhone17,3", server: "Boot MDM")
                var profile = Profile(profileName: "Configurator", url: "https://mdm.example.com/enroll")
                profile.devices = ["CFGCLI00005"]
                _ = try await linked.session.defineProfile(try DEPJSON.encodeString(profile))
                let boot = try await FakeDEPBinary.run(
                    ["device", "boot", "CFGCLI00005"], server: server, in: directory)
                #expect(boot.status == 0, "\(boot)")
                let until = DEPDate.format(server.clock.now.addingTimeInterval(30 * 86_400))
                #expect(
                    boot.standardOutput.hasSuffix(
                        "It was added with Apple Configurator: until \(until) its user may remove it from the organisation (`fakedep device release-provisional`).\n"
                    ))
            }
        }
    }

    @Test func refusalsAreOneLineOnStandardError() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let model = try await FakeDEPBinary.run(
                    ["configurator", "add", "CFGCLI00003", "--model", "Newton"], server: server, in: directory)
                #expect(model.status != 0)
                #expect(model.standardError.hasPrefix(#"Error: No product of the catalogue is "Newton"."#), "\(model)")

                let linked = try await server.linkServer("Late MDM")
                _ = try await server.configuratorAdd(["CFGCLI00004"], model: "iPhone17,3", server: "Late MDM")
                try await ConfiguratorPortalTests.enroll("CFGCLI00004", linked, server)
                server.clock.advance(by: 31 * 86_400)
                let late = try await FakeDEPBinary.run(
                    ["device", "release-provisional", "CFGCLI00004"], server: server, in: directory)
                #expect(late.status != 0)
                #expect(
                    late.standardError.hasPrefix("Error: The provisional period of CFGCLI00004 ended on "), "\(late)")
                #expect(try await server.inventoryRecord("CFGCLI00004").status == "assigned")
            }
        }
    }

    @Test func anIdentityIsAKeyAndACertificateAProfileAccepts() async throws {
        try await ScratchDirectory.with { directory in
            let binary = try #require(FakeDEPBinary.url)
            let run = try await ChildProcess.run(
                binary, ["configurator", "identity", "--org", "Acme Corp", "--out", "identity"], in: directory)
            #expect(run.status == 0, "\(run)")
            let folder = directory.appendingPathComponent("identity")
            let keyPath = folder.appendingPathComponent("Acme-Corp.key").path
            let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
            let mode = (attributes[.posixPermissions] as? Int) ?? (attributes[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600)
            let key = try PrivateKey(bytes: try Data(contentsOf: URL(fileURLWithPath: keyPath)))
            let certificate = try Certificate(
                bytes: try Data(contentsOf: folder.appendingPathComponent("Acme-Corp.pem")))
            #expect(certificate.subjectCommonName == "Acme Corp")
            #expect(certificate.hasPublicKey(of: key))
            let entry = try #require(run.standardOutput.split(separator: "\n").last.map(String.init))
            #expect(Data(base64Encoded: entry) == (try certificate.der))

            var profile = Profile(profileName: "Supervised", url: "https://mdm.example/enroll")
            profile.supervisingHostCerts = [entry]
            profile.anchorCerts = [entry]
            let json = try DEPJSON.encodeString(profile)
            try await TestServer.with { server in
                let linked = try await server.linkServer()
                let defined = try await linked.session.defineProfile(json)
                #expect(!defined.profileUUID.isEmpty)
            }

            let again = try await ChildProcess.run(
                binary, ["configurator", "identity", "--org", "Acme Corp", "--out", "identity"], in: directory)
            #expect(again.status != 0)
            #expect(again.standardError.contains("exists; an identity is not replaced"), "\(again)")
        }
    }
}
