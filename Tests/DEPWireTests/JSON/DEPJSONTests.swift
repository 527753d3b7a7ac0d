import DEPWire
import Foundation
import Testing

struct DEPJSONTests {
    @Test func writesKeysInDeclarationOrderAndOmitsAbsentOptionals() throws {
        let device = Device(
            serialNumber: "F17ZK2QWERTY", model: "iPhone 15", os: .iOS, deviceFamily: .iPhone,
            profileStatus: .empty, deviceAssignedDate: Date(timeIntervalSince1970: 1_745_748_000))
        #expect(
            try DEPJSON.encodeString(device)
                == #"{"serial_number":"F17ZK2QWERTY","model":"iPhone 15","os":"iOS","device_family":"iPhone","profile_status":"empty","device_assigned_date":"2025-04-27T10:00:00Z"}"#
        )
    }

    @Test func leavesSlashesAndUnicodeUnescapedButEscapesControlCharacters() throws {
        let profile = Profile(profileName: "Café \"HQ\"\n\u{1}", url: "https://mdm.example/enroll")
        #expect(
            try DEPJSON.encodeString(profile)
                == #"{"profile_name":"Café \"HQ\"\n\u0001","url":"https://mdm.example/enroll"}"#)
    }

    @Test func writesTheSameBytesEveryTime() throws {
        let account = AccountDetail(
            serverName: "A", serverUUID: "B", orgName: "C", urls: [EndpointURL(uri: "/session", httpMethod: ["GET"])])
        let first = try DEPJSON.encodeString(account)
        for _ in 0..<20 { #expect(try DEPJSON.encodeString(account) == first) }
    }

    @Test func serialMapsKeepInsertionOrder() throws {
        var results = DeviceResults<DeviceResultStatus>()
        for serial in ["Z1", "A2", "M3", "B4"] { results[serial] = .success }
        results["A2"] = .notAccessible
        #expect(
            try DEPJSON.encodeString(DeviceStatusResponse(devices: results))
                == #"{"devices":{"Z1":"SUCCESS","A2":"NOT_ACCESSIBLE","M3":"SUCCESS","B4":"SUCCESS"}}"#)
    }

    @Test func readsWhatTolerantClientsMustRead() throws {
        let json = #"""
            {"serial_number":"X1","model":"Mac mini","profile_status":"","device_assigned_date":"2025-04-27T12:00:00.250+02:00",
             "wifi_mac_address":"AA:BB:CC:DD:EE:FF","ethernet_mac_address":["00:11:22:33:44:55","00:11:22:33:44:56"],
             "some_future_key":{"x":1}}
            """#
        let device = try DEPJSON.decode(Device.self, from: json)
        #expect(device.profileStatus == .empty)
        #expect(device.deviceAssignedDate == Date(timeIntervalSince1970: 1_745_748_000.25))
        #expect(device.wifiMACAddress == ["AA:BB:CC:DD:EE:FF"])
        #expect(device.ethernetMACAddress?.addresses.count == 2)
        let reencoded = try DEPJSON.encodeString(device)
        #expect(reencoded.contains(#""wifi_mac_address":"AA:BB:CC:DD:EE:FF""#))
        #expect(reencoded.contains(#""ethernet_mac_address":["00:11:22:33:44:55","00:11:22:33:44:56"]"#))
    }

    @Test func readsProfileFlagsWithOrWithoutThePrefix() throws {
        let unprefixed = try DEPJSON.decode(
            Profile.self,
            from:
                #"{"profile_name":"P","url":"https://x","supervised":true,"mandatory":true,"mdm_removable":false,"multi_user":true,"return_to_service":true}"#
        )
        #expect(unprefixed.isSupervised == true)
        #expect(unprefixed.isMandatory == true)
        #expect(unprefixed.isMDMRemovable == false)
        #expect(unprefixed.isMultiUser == true)
        #expect(unprefixed.isReturnToService == true)
        let written = try DEPJSON.encodeString(unprefixed)
        #expect(written.contains(#""is_supervised":true"#) && !written.contains(#""supervised""#))
    }

    @Test func rejectsAnUnknownProfileStatusAndABadDate() {
        #expect(throws: DecodingError.self) {
            try DEPJSON.decode(Device.self, from: #"{"serial_number":"X","profile_status":"lost"}"#)
        }
        #expect(throws: DecodingError.self) {
            try DEPJSON.decode(Device.self, from: #"{"serial_number":"X","op_date":"yesterday"}"#)
        }
    }
}

/// The hand-written device writer says exactly what `Device`'s `Encodable` conformance says.
struct DeviceWriterTests {
    /// Hides `Device`'s own writer, so encoding goes through its `Encodable` conformance.
    struct ThroughEncodable: Encodable {
        let device: Device
        func encode(to encoder: any Encoder) throws { try device.encode(to: encoder) }
    }

    static let full = Device(
        serialNumber: "C02XK1ABCDEF", description: "MBP 14 \"SPG\"", model: "MacBook Pro 14\"", os: .macOS,
        deviceFamily: .mac, color: "SPACE GRAY", assetTag: "A-1", profileUUID: "9145EDB9",
        profileAssignTime: Date(timeIntervalSince1970: 1_739_893_418),
        profilePushTime: Date(timeIntervalSince1970: 1_739_909_586),
        profileStatus: .pushed, deviceAssignedBy: "admin@acme.example",
        deviceAssignedDate: Date(timeIntervalSince1970: 0),
        mdmMigrationDeadline: Date(timeIntervalSince1970: 1_800_000_000), opType: .modified,
        opDate: Date(timeIntervalSince1970: 1_746_306_115), eid: "8904",
        ethernetMACAddress: ["00:11:22:33:44:55", "00:11:22:33:44:56"],
        wifiMACAddress: "AA:BB:CC:DD:EE:FF", bluetoothMACAddress: "AA:BB:CC:DD:EE:00", imei: ["35 1", "35 2"], meid: [],
        isReplacementDevice: true, releasedByReplacement: false, responseStatus: .success)

    @Test(arguments: [
        full, Device(serialNumber: "X"),
        Device(serialNumber: "Y", opType: .deleted, opDate: Date(timeIntervalSince1970: 5)),
    ])
    func writesTheSameBytesAsItsEncodableConformance(_ device: Device) throws {
        #expect(try DEPJSON.encodeString(device) == DEPJSON.encodeString(ThroughEncodable(device: device)))
        let page = FetchDeviceResponse(
            devices: [device, device], fetchedUntil: Date(timeIntervalSince1970: 0), moreToFollow: false, cursor: "c")
        let decoded = try DEPJSON.decode(FetchDeviceResponse.self, from: try DEPJSON.encode(page))
        #expect(decoded == page)
    }

    @Test func formatsYearsWithFourDigits() {
        #expect(DEPDate.format(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00Z")
        #expect(DEPDate.format(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
    }
}

/// Pages are written by hand too; they must match their `Encodable` conformance.
struct PageWriterTests {
    struct ThroughEncodable: Encodable {
        let page: FetchDeviceResponse
        func encode(to encoder: any Encoder) throws { try page.encode(to: encoder) }
    }

    @Test(arguments: [nil, [], [DeviceWriterTests.full, Device(serialNumber: "X")]] as [[Device]?])
    func writesTheSameBytesAsItsEncodableConformance(_ devices: [Device]?) throws {
        let page = FetchDeviceResponse(
            devices: devices, fetchedUntil: Date(timeIntervalSince1970: 9), moreToFollow: true, cursor: "c\"1")
        #expect(try DEPJSON.encodeString(page) == DEPJSON.encodeString(ThroughEncodable(page: page)))
    }
}
