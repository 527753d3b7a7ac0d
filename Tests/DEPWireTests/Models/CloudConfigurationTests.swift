import DEPWire
import Foundation
import Testing

struct CloudConfigurationTests {
    static let anchor = Data([0x30, 0x82, 0x01, 0x0A, 0xFF])
    static let host = Data([0x30, 0x03, 0x02, 0x01, 0x01])

    /// A profile that sets every key the cloud configuration maps (dep-api §5.1, §7.2).
    static func fullProfile() -> Profile {
        var profile = Profile(profileName: "Acme Macs", url: "https://mdm.acme.example/enroll")
        profile.configurationWebURL = "https://mdm.acme.example/login"
        profile.allowPairing = true
        profile.isSupervised = true
        profile.isMultiUser = false
        profile.isMandatory = true
        profile.isMDMRemovable = false
        profile.awaitDeviceConfigured = true
        profile.supportPhoneNumber = "+1 555 0100"
        profile.supportEmailAddress = "it@acme.example"
        profile.orgMagic = "ACME-IT"
        profile.department = "R&D <Macs>"
        profile.anchorCerts = [anchor.base64EncodedString()]
        profile.supervisingHostCerts = [host.base64EncodedString()]
        profile.skipSetupItems = ["AppleID", "Siri"]
        return profile
    }

    static let organization = CloudConfiguration.Organization(
        name: "Acme Inc.", address: "1 Infinite Loop, Cupertino", email: "dep@acme.example", phone: "+1 555 0199")

    @Test func everyProfileKeyMapsToItsCloudConfigurationKey() throws {
        let configuration = try CloudConfiguration(profile: Self.fullProfile(), organization: Self.organization)
        #expect(configuration.configurationURL == "https://mdm.acme.example/enroll")
        #expect(configuration.isMDMUnremovable == true)
        #expect(configuration.anchorCertificates == [Self.anchor])
        #expect(configuration.supervisorHostCertificates == [Self.host])
        #expect(configuration.organizationSupportEmail == "it@acme.example")
        #expect(configuration.organizationName == "Acme Inc.")
    }

    @Test func jsonWritesTheKeysAlphabeticallyWithCertificatesInBase64() throws {
        let configuration = try CloudConfiguration(profile: Self.fullProfile(), organization: Self.organization)
        let expected = """
            {"AllowPairing":true,"AnchorCertificates":["MIIBCv8="],"AwaitDeviceConfigured":true,\
            "ConfigurationURL":"https://mdm.acme.example/enroll","ConfigurationWebURL":"https://mdm.acme.example/login",\
            "IsMandatory":true,"IsMDMUnremovable":true,"IsMultiUser":false,"IsSupervised":true,\
            "OrganizationAddress":"1 Infinite Loop, Cupertino","OrganizationDepartment":"R&D <Macs>",\
            "OrganizationEmail":"dep@acme.example","OrganizationMagic":"ACME-IT","OrganizationName":"Acme Inc.",\
            "OrganizationPhone":"+1 555 0199","OrganizationSupportEmail":"it@acme.example",\
            "OrganizationSupportPhone":"+1 555 0100","SkipSetup":["AppleID","Siri"],\
            "SupervisorHostCertificates":["MAMCAQE="]}
            """
        #expect(try DEPJSON.encodeString(configuration) == expected)
        #expect(try DEPJSON.decode(CloudConfiguration.self, from: expected) == configuration)
    }

    @Test func keysTheProfileDoesNotSetAreAbsent() throws {
        let configuration = try CloudConfiguration(
            profile: Profile(profileName: "Bare", url: "https://mdm.example/enroll"),
            organization: .init(name: "Org", address: "", email: nil, phone: nil))
        #expect(
            try DEPJSON.encodeString(configuration)
                == #"{"ConfigurationURL":"https://mdm.example/enroll","OrganizationName":"Org"}"#)
        #expect(configuration.propertyList.contains("<key>IsMDMUnremovable</key>") == false)
    }

    @Test func thePropertyListIsApplesXMLForm() throws {
        var configuration = CloudConfiguration()
        configuration.configurationURL = "https://mdm.example/enroll?a=1&b=2"
        configuration.isSupervised = false
        configuration.skipSetup = []
        configuration.anchorCertificates = [Self.anchor]
        #expect(
            configuration.propertyList == """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                \t<key>AnchorCertificates</key>
                \t<array>
                \t\t<data>MIIBCv8=</data>
                \t</array>
                \t<key>ConfigurationURL</key>
                \t<string>https://mdm.example/enroll?a=1&amp;b=2</string>
                \t<key>IsSupervised</key>
                \t<false/>
                \t<key>SkipSetup</key>
                \t<array/>
                </dict>
                </plist>

                """)
    }

    @Test func foundationReadsThePropertyListBackToTheSameValues() throws {
        let configuration = try CloudConfiguration(profile: Self.fullProfile(), organization: Self.organization)
        let parsed = try PropertyListSerialization.propertyList(
            from: Data(configuration.propertyListBytes), options: [], format: nil)
        let dictionary = try #require(parsed as? [String: Any])
        #expect(dictionary.count == 19)
        #expect(dictionary["ConfigurationURL"] as? String == "https://mdm.acme.example/enroll")
        #expect(dictionary["OrganizationDepartment"] as? String == "R&D <Macs>")
        #expect(dictionary["IsMDMUnremovable"] as? Bool == true)
        #expect(dictionary["IsMultiUser"] as? Bool == false)
        #expect(dictionary["AnchorCertificates"] as? [Data] == [Self.anchor])
        #expect(dictionary["SupervisorHostCertificates"] as? [Data] == [Self.host])
        #expect(dictionary["SkipSetup"] as? [String] == ["AppleID", "Siri"])
    }

    @Test func charactersXMLCannotCarryBecomeReplacementCharacters() throws {
        var configuration = CloudConfiguration()
        configuration.organizationName = "Tab\there\u{01}bell"
        #expect(configuration.propertyList.contains("<string>Tab\there\u{FFFD}bell</string>"))
        let parsed = try PropertyListSerialization.propertyList(
            from: Data(configuration.propertyListBytes), options: [], format: nil)
        #expect((parsed as? [String: Any])?["OrganizationName"] as? String == "Tab\there\u{FFFD}bell")
    }

    @Test func aCertificateThatIsNotBase64IsRefusedByName() {
        var changed = Self.fullProfile()
        changed.supervisingHostCerts = ["MAMCAQE=", "!!!"]
        let profile = changed
        #expect(throws: CloudConfiguration.InvalidCertificate(key: "supervising_host_certs", index: 1)) {
            try CloudConfiguration(profile: profile, organization: Self.organization)
        }
    }
}

extension CloudConfigurationTests {
    @Test func theDeviceReadsBackItsOwnPropertyList() throws {
        let configuration = try CloudConfiguration(profile: Self.fullProfile(), organization: Self.organization)
        let read = try PropertyListDecoder().decode(
            CloudConfiguration.self, from: Data(configuration.propertyListBytes))
        #expect(read == configuration)
        #expect(read.anchorCertificates == [Self.anchor])
    }
}
