import DEPWire
import Foundation
import Testing

/// The MachineInfo a device signs and sends its MDM (dep-api §7.4).
struct MachineInfoTests {
    static let full = MachineInfo(
        udid: "00008150-0123456789ABCDEF", serial: "C02XK1ABCDEF", product: "iPhone18,3", version: "23B85",
        osVersion: "26.1", imei: "356789012345678", meid: "35678901234567", language: "en",
        mdmCanRequestSoftwareUpdate: true, softwareUpdateDeviceID: "D47AP")

    @Test func itIsWrittenWithApplesKeysInAlphabeticalOrder() {
        #expect(
            Self.full.propertyList == """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                \t<key>IMEI</key>
                \t<string>356789012345678</string>
                \t<key>LANGUAGE</key>
                \t<string>en</string>
                \t<key>MDM_CAN_REQUEST_SOFTWARE_UPDATE</key>
                \t<true/>
                \t<key>MEID</key>
                \t<string>35678901234567</string>
                \t<key>OS_VERSION</key>
                \t<string>26.1</string>
                \t<key>PRODUCT</key>
                \t<string>iPhone18,3</string>
                \t<key>SERIAL</key>
                \t<string>C02XK1ABCDEF</string>
                \t<key>SOFTWARE_UPDATE_DEVICE_ID</key>
                \t<string>D47AP</string>
                \t<key>UDID</key>
                \t<string>00008150-0123456789ABCDEF</string>
                \t<key>VERSION</key>
                \t<string>23B85</string>
                </dict>
                </plist>

                """)
    }

    @Test func optionalKeysThatAreNotSetAreLeftOut() {
        let minimal = MachineInfo(
            udid: "U", serial: "C02XK1ABCDEF", product: "Mac16,12", version: "25B78", osVersion: "26.1")
        let keys = minimal.propertyList.split(separator: "\n").filter { $0.contains("<key>") }
        #expect(
            keys.map { $0.trimmingCharacters(in: .whitespaces) } == [
                "<key>OS_VERSION</key>", "<key>PRODUCT</key>", "<key>SERIAL</key>", "<key>UDID</key>",
                "<key>VERSION</key>",
            ])
    }

    @Test func anMDMReadsWhatTheDeviceWrote() throws {
        #expect(try MachineInfo(propertyList: Data(Self.full.propertyList.utf8)) == Self.full)
        // And JSON, as fakedep's device side serves it, with the same keys.
        let json = try JSONEncoder().encode(Self.full)
        #expect(String(decoding: json, as: UTF8.self).contains(#""OS_VERSION":"26.1""#))
        #expect(try JSONDecoder().decode(MachineInfo.self, from: json) == Self.full)
    }

    @Test func aMachineInfoWithoutItsRequiredKeysIsRefused() throws {
        let withoutUDID = Self.full.propertyList.replacingOccurrences(of: "<key>UDID</key>", with: "<key>X</key>")
        #expect(throws: DecodingError.self) { try MachineInfo(propertyList: Data(withoutUDID.utf8)) }
        #expect(throws: (any Error).self) { try MachineInfo(propertyList: Data("not a plist".utf8)) }
    }
}
