import DEPCrypto
import DEPTestSupport
import DEPWire
import Foundation
import Testing

@testable import DEPSync

/// How console settings map onto Apple's profile (dep-api §5.1, §5.4; peers §6), how
/// `ProfileDefinition.readFile` tells them from Apple's profile JSON, and what it refuses.
@Suite struct ConsoleProfileSettingsTests {
    private let samples = Repository.url("MockData/profiles")

    private func read(_ json: String, path: String = "/tmp/console.json") throws -> ProfileToDefine {
        try ProfileDefinition.readFile(Data(json.utf8), path: path)
    }

    @Test func theUserAffinitySampleMapsEverySetting() throws {
        let url = samples.appendingPathComponent("console-user-affinity.json")
        let definition = try ProfileDefinition.readFile(try Data(contentsOf: url), path: url.path)
        let profile = definition.profile
        #expect(definition.userAffinity == .prompt)
        #expect(definition.description?.hasPrefix("Staff iPhones") == true)
        #expect(profile.profileName == "Acme corporate iPhones (console, user affinity)")
        #expect(profile.url == "https://mdm.acme.example/mdm/enroll")
        #expect(profile.department == "IT")
        #expect(profile.supportPhoneNumber == "+1 555 0100")
        #expect(profile.isSupervised == true)
        #expect(profile.isMDMRemovable == false)
        #expect(profile.awaitDeviceConfigured == true)
        #expect(profile.isMultiUser == false)
        #expect(profile.skipSetupItems == ["Location", "Restore", "Siri", "Diagnostics", "TOS"])
        let pem = try String(contentsOf: samples.appendingPathComponent("supervising-host.pem"), encoding: .utf8)
        let der = try Certificate(pem: pem).der.base64EncodedString()
        #expect(profile.supervisingHostCerts == [der])
        // The description is the agent's: Apple's profile has no key for it.
        #expect(try !DEPJSON.encodeString(profile).contains("description"))
    }

    @Test func theKioskSampleHasNoAffinityAndSkipsTheConsolePanes() throws {
        let url = samples.appendingPathComponent("console-kiosk.json")
        let definition = try ProfileDefinition.readFile(try Data(contentsOf: url), path: url.path)
        #expect(definition.userAffinity == .noAffinity)
        #expect(definition.profile.awaitDeviceConfigured == false)
        #expect(definition.profile.isMultiUser == false)
        #expect(definition.profile.supervisingHostCerts == nil)
        #expect(
            definition.profile.skipSetupItems == [
                "Passcode", "Location", "Restore", "AppleID", "TOS", "Siri", "Diagnostics",
            ])
    }

    @Test func appleProfileJSONIsStillReadAsItIs() throws {
        let url = samples.appendingPathComponent("kiosk.json")
        let definition = try ProfileDefinition.readFile(try Data(contentsOf: url), path: url.path)
        #expect(definition.userAffinity == nil)
        #expect(definition.description == nil)
        #expect(definition.profile.profileName == "Acme lobby kiosks (no user affinity)")
    }

    @Test func defaultsAreSupervisedRemovablePromptAndPaneNamesIgnoreCase() throws {
        let definition = try read(
            #"{"name": "Minimal", "mdm_url": "https://mdm.example.com/enroll", "skip_panes": ["apple id", "SIRI", "Siri"]}"#
        )
        #expect(definition.userAffinity == .prompt)
        #expect(definition.profile.isSupervised == true)
        #expect(definition.profile.isMDMRemovable == true)
        #expect(definition.profile.skipSetupItems == ["AppleID", "Siri"])
        #expect(definition.profile.department == nil)
    }

    @Test func aCertificateInDERIsReadToo() async throws {
        try await ScratchDirectory.with { directory in
            let pem = try String(
                contentsOf: samples.appendingPathComponent("supervising-host.pem"), encoding: .utf8)
            let der = try Certificate(pem: pem).der
            try der.write(to: directory.appendingPathComponent("host.cer"))
            let path = directory.appendingPathComponent("settings.json").path
            let definition = try read(
                #"{"name": "DER", "mdm_url": "https://mdm.example.com/enroll", "require_certificate": "host.cer"}"#,
                path: path)
            #expect(definition.profile.supervisingHostCerts == [der.base64EncodedString()])
        }
    }

    @Test func aLockWithoutSupervisionIsRefusedAsApplesFlagsInvalid() throws {
        let error = try #require(throws: AgentError.self) {
            try read(
                #"{"name": "L", "mdm_url": "https://m.example.com/e", "supervised": false, "lock_profile_to_device": true}"#
            )
        }
        #expect("\(error)".contains("FLAGS_INVALID"))
        #expect("\(error)".contains("lock_profile_to_device requires supervised"))
    }

    @Test func anUnknownPaneIsRefusedWithTheValidOnes() throws {
        let error = try #require(throws: AgentError.self) {
            try read(#"{"name": "P", "mdm_url": "https://m.example.com/e", "skip_panes": ["Passcode", "Wallpaper"]}"#)
        }
        #expect("\(error)".contains("unknown pane \"Wallpaper\""))
        #expect("\(error)".contains("Location Services, Restore, Apple ID, Terms and Conditions"))
    }

    @Test func anUnknownAffinityIsRefused() throws {
        let error = try #require(throws: AgentError.self) {
            try read(#"{"name": "A", "mdm_url": "https://m.example.com/e", "user_affinity": "shared"}"#)
        }
        #expect("\(error)".contains("user_affinity \"shared\" is neither \"prompt\" nor \"none\""))
    }

    @Test func anUnreadableCertificateIsRefused() async throws {
        let missing = try #require(throws: AgentError.self) {
            try read(#"{"name": "C", "mdm_url": "https://m.example.com/e", "require_certificate": "/nonexistent.pem"}"#)
        }
        #expect("\(missing)".contains("require_certificate /nonexistent.pem is not a readable PEM or DER certificate"))
        try await ScratchDirectory.with { directory in
            try Data("not a certificate".utf8).write(to: directory.appendingPathComponent("junk.pem"))
            let junk = try #require(throws: AgentError.self) {
                try read(
                    #"{"name": "C", "mdm_url": "https://m.example.com/e", "require_certificate": "junk.pem"}"#,
                    path: directory.appendingPathComponent("s.json").path)
            }
            #expect("\(junk)".contains("junk.pem is not a readable PEM or DER certificate"))
        }
    }

    @Test func anUnknownSettingIsRefusedRatherThanDropped() throws {
        let error = try #require(throws: AgentError.self) {
            try read(#"{"name": "U", "mdm_url": "https://m.example.com/e", "skip_pane": ["Siri"]}"#)
        }
        #expect("\(error)".contains("unknown console setting \"skip_pane\""))
    }

    @Test func appleRulesStillApplyAfterMapping() throws {
        let error = try #require(throws: AgentError.self) {
            try read(#"{"name": "D", "mdm_url": "https://m.example.com/e", "department": ""}"#)
        }
        #expect("\(error)".contains("DEPARTMENT_INVALID"))
    }
}
