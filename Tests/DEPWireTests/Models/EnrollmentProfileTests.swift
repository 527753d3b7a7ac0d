import DEPWire
import Foundation
import Testing

/// The enrollment profile an MDM answers a device with, as far as the device reads it.
struct EnrollmentProfileTests {
    static func profile(type: String = "Configuration", payloads: String) -> Data {
        Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <plist version="1.0">
            <dict>
            <key>PayloadContent</key><array>\(payloads)</array>
            <key>PayloadDisplayName</key><string>Acme Enrollment</string>
            <key>PayloadIdentifier</key><string>com.acme.enroll</string>
            <key>PayloadOrganization</key><string>Acme</string>
            <key>PayloadType</key><string>\(type)</string>
            <key>PayloadVersion</key><integer>1</integer>
            </dict>
            </plist>
            """.utf8)
    }

    static let mdmPayload = """
        <dict><key>PayloadType</key><string>com.apple.mdm</string>
        <key>PayloadIdentifier</key><string>com.acme.mdm</string>
        <key>ServerURL</key><string>https://mdm.acme.example/connect</string>
        <key>CheckInURL</key><string>https://mdm.acme.example/checkin</string>
        <key>Topic</key><string>com.apple.mgmt.External.acme</string>
        <key>AccessRights</key><integer>8191</integer></dict>
        """
    static let scepPayload = """
        <dict><key>PayloadType</key><string>com.apple.security.scep</string>
        <key>PayloadIdentifier</key><string>com.acme.scep</string></dict>
        """

    @Test func itReadsTheProfileAndItsMDMPayload() throws {
        let profile = try EnrollmentProfile(propertyList: Self.profile(payloads: Self.scepPayload + Self.mdmPayload))
        #expect(profile.identifier == "com.acme.enroll")
        #expect(profile.displayName == "Acme Enrollment")
        #expect(profile.organization == "Acme")
        #expect(profile.payloads.map(\.type) == ["com.apple.security.scep", "com.apple.mdm"])
        #expect(profile.mdm?.serverURL == "https://mdm.acme.example/connect")
        #expect(profile.mdm?.checkInURL == "https://mdm.acme.example/checkin")
        #expect(profile.mdm?.topic == "com.apple.mgmt.External.acme")
    }

    @Test func aProfileWithoutAnMDMPayloadHasNoMDM() throws {
        #expect(try EnrollmentProfile(propertyList: Self.profile(payloads: Self.scepPayload)).mdm == nil)
    }

    @Test func somethingElseIsRefusedWithAReason() {
        #expect {
            try EnrollmentProfile(propertyList: Self.profile(type: "com.apple.mdm", payloads: ""))
        } throws: { error in
            "\(error)" == #"the profile's PayloadType is "com.apple.mdm", not "Configuration""#
        }
        #expect {
            try EnrollmentProfile(propertyList: Data("<html></html>".utf8))
        } throws: { error in
            "\(error)".hasPrefix("the answer is not a configuration profile property list")
        }
    }
}
