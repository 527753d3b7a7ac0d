import Foundation
import Testing

@testable import DEPWire

/// The hand-written page reader keeps its contract: `JSONDecoder`'s answer or an error, never
/// a different page.
struct FetchDeviceResponseReaderTests {
    /// What `JSONDecoder` makes of `json`: the page, or nil when it throws.
    static func decoded(_ json: Data) -> FetchDeviceResponse? {
        try? DEPJSON.decode(FetchDeviceResponse.self, from: json)
    }

    /// Checks that the fast path reads `json` by itself, exactly as `JSONDecoder` does, and so
    /// does the public `read`.
    static func expectFastPathReads(_ json: Data, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try DEPJSON.decode(FetchDeviceResponse.self, from: json)
        #expect(try FetchDeviceResponse.readDirectly(json: json) == expected, sourceLocation: sourceLocation)
        #expect(try FetchDeviceResponse.read(json: json) == expected, sourceLocation: sourceLocation)
    }

    /// Checks the contract alone: if the fast path reads `json`, `JSONDecoder` reads the same.
    static func expectAgreement(_ json: Data, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let fast = try? FetchDeviceResponse.readDirectly(json: json) else { return }
        #expect(
            decoded(json) == fast, "\(String(decoding: json, as: UTF8.self))", sourceLocation: sourceLocation)
    }

    /// A page with `devices` (raw JSON) and `extra` (raw members, each after a comma) at its end.
    static func page(_ devices: String = "[]", extra: String = "") -> Data {
        Data(
            #"{"devices":\#(devices),"fetched_until":"2025-05-04T09:12:00Z","more_to_follow":true,"cursor":"c1"\#(extra)}"#
                .utf8)
    }

    static let fullDevice = Device(
        serialNumber: "C02XK1ABCDEF", description: "Café \"HQ\" 😀 \\ / \n\t\u{1}\u{0}\u{7F} ü\u{301}",
        model: "MacBook Pro 14\"", os: .macOS, deviceFamily: .mac, color: "SPACE GRAY", assetTag: "A-1",
        profileUUID: "9145EDB932A42C48A9DD56AD69213C64", profileAssignTime: Date(timeIntervalSince1970: 1_739_893_418),
        profilePushTime: Date(timeIntervalSince1970: 1_739_909_586.75), profileStatus: .pushed,
        deviceAssignedBy: "admin@acme.example", deviceAssignedDate: Date(timeIntervalSince1970: 0),
        mdmMigrationDeadline: Date(timeIntervalSince1970: 1_800_000_000), opType: .modified,
        opDate: Date(timeIntervalSince1970: 1_746_306_115), eid: "89049032",
        ethernetMACAddress: ["00:11:22:33:44:55", "00:11:22:33:44:56"], wifiMACAddress: "AA:BB:CC:DD:EE:FF",
        bluetoothMACAddress: [], imei: ["35 1", "35 2"], meid: [], isReplacementDevice: true,
        releasedByReplacement: false, responseStatus: .notAccessible)

    /// Every member of a fully populated device as raw JSON, in Apple's order.
    static let fullMembers: [(key: String, value: String)] = [
        ("serial_number", #""F17ZK2QWERTY""#),
        ("description", #""IPHONE \"15\" \u00e9\ud83d\ude00\/\b\f\n\r\t\\ \u0000 ü\#u{7F}""#),
        ("model", #""iPhone 15""#), ("os", #""iOS""#), ("device_family", #""iPhone""#), ("color", #""BLACK""#),
        ("asset_tag", #""T-9""#), ("profile_uuid", #""9145EDB9""#),
        ("profile_assign_time", #""2025-04-27T12:00:00.250+02:00""#),
        ("profile_push_time", #""2025-04-27t10:00:00.123456789z""#), ("profile_status", #""assigned""#),
        ("device_assigned_by", #""ade-admin@acme.example""#),
        ("device_assigned_date", #""2025-04-27 05:00:00-0500""#),
        ("mdm_migration_deadline", #""2026-01-01T00:00:00Z""#), ("op_type", #""added""#),
        ("op_date", #""2025-04-27T10:00:00Z""#), ("eid", #""8904""#),
        ("ethernet_mac_address", #"["00:11:22:33:44:55","00:11:22:33:44:56"]"#),
        ("wifi_mac_address", #""AA:BB:CC:DD:EE:FF""#), ("bluetooth_mac_address", #"["AA:BB:CC:DD:EE:00"]"#),
        ("imei", #"["35 1","35 2"]"#), ("meid", "[]"), ("is_replacement_device", "false"),
        ("released_by_replacement", "true"), ("response_status", #""SUCCESS""#),
    ]

    /// A JSON object of `members`, in the order given.
    static func object(_ members: [(key: String, value: String)]) -> String {
        "{" + members.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
    }

    static let fetchAndSyncExamples = Fixtures.examples.filter {
        $0.lastPathComponent.hasPrefix("FetchDeviceResponse-")
    }

    @Test func findsTheFetchAndSyncExamples() {
        #expect(Self.fetchAndSyncExamples.count >= 3)
    }

    @Test(arguments: fetchAndSyncExamples)
    func readsEveryExamplePageAsJSONDecoderDoes(_ example: URL) throws {
        try Self.expectFastPathReads(try Data(contentsOf: example))
    }

    @Test(arguments: [nil, [], [fullDevice], [fullDevice, Device(serialNumber: "X"), fullDevice]] as [[Device]?])
    func readsPagesOurWriterWrites(_ devices: [Device]?) throws {
        let page = FetchDeviceResponse(
            devices: devices, fetchedUntil: Date(timeIntervalSince1970: 1_746_306_115.5), moreToFollow: false,
            cursor: "MTAw\"\\/…")
        try Self.expectFastPathReads(Data(try DEPJSON.encodeBytes(page)))
    }

    @Test func readsAThousandVariedDevices() throws {
        let devices = (0..<1000).map { number in
            var device = Self.fullDevice
            device.serialNumber = "SN\(number)"
            if number % 3 == 0 { device.wifiMACAddress = ["AA:00", "AA:01"] }
            if number % 5 == 0 { device.description = nil }
            if number % 7 == 0 { device.profileStatus = nil }
            return device
        }
        let page = FetchDeviceResponse(
            devices: devices, fetchedUntil: Date(timeIntervalSince1970: 9), moreToFollow: true, cursor: "c")
        try Self.expectFastPathReads(Data(try DEPJSON.encodeBytes(page)))
    }

    @Test func readsEveryDeviceKeyWithEscapesFractionalDatesAndOffsets() throws {
        let json = Self.page("[\(Self.object(Self.fullMembers))]")
        try Self.expectFastPathReads(json)
        let device = try #require(try FetchDeviceResponse.readDirectly(json: json).devices?.first)
        #expect(device.description == "IPHONE \"15\" é😀/\u{8}\u{C}\n\r\t\\ \u{0} ü\u{7F}")
        #expect(device.profileAssignTime == Date(timeIntervalSince1970: 1_745_748_000.25))
        #expect(device.ethernetMACAddress?.addresses.count == 2)
        #expect(device.bluetoothMACAddress == ["AA:BB:CC:DD:EE:00"])
    }

    @Test(arguments: 0..<8)
    func readsKeysInAnyOrder(_ rotation: Int) throws {
        var members = Self.fullMembers
        if rotation % 2 == 1 { members.reverse() }
        members = Array(members[(rotation * 3)...] + members[..<(rotation * 3)])
        let device = Self.object(members)
        let pageMembers = [
            ("cursor", #""c""#), ("more_to_follow", "false"), ("devices", "[\(device),\(device)]"),
            ("fetched_until", #""2025-05-04T09:12:00Z""#),
        ]
        try Self.expectFastPathReads(Data(Self.object(pageMembers).utf8))
    }

    @Test func skipsUnknownMembersOfAnyShape() throws {
        let unknown = #"""
            {"n":[-0,1.5e+3,2E-2,-12.0e9,0.0,10],"s":"\"\u00e9\ud83d\ude00","t":true,"f":false,"z":null,
             "deep":[[[{"a":[{}]}]],[]],"e":{},"k\u00e9y":"v","ключ":"значение"}
            """#
        var members = Self.fullMembers
        members.insert(("future", unknown), at: 3)
        members.append(("more_later", "[1,{\"x\":[null]}]"))
        members.insert(("serial_number_v2", #""not the serial""#), at: 0)
        members.insert(("é", #"":""#), at: 5)
        let json = Self.page(
            "[\(Self.object(members))]", extra: #","future_page_key":\#(unknown),"total":1000"#)
        try Self.expectFastPathReads(json)
    }

    @Test func readsNullAsAbsent() throws {
        let members = [("serial_number", #""X""#)] + Self.fullMembers.dropFirst().map { ($0.key, "null") }
        let json = Self.page("[\(Self.object(members))]")
        try Self.expectFastPathReads(json)
        #expect(try FetchDeviceResponse.readDirectly(json: json).devices == [Device(serialNumber: "X")])
        try Self.expectFastPathReads(
            Data(#"{"devices":null,"fetched_until":"2025-05-04T09:12:00Z","more_to_follow":true,"cursor":""}"#.utf8))
    }

    @Test func readsEmptyAndMissingDeviceLists() throws {
        try Self.expectFastPathReads(Self.page("[]"))
        #expect(try FetchDeviceResponse.readDirectly(json: Self.page("[]")).devices == [])
        let missing = Data(#" {"fetched_until":"2025-05-04T09:12:00Z" , "more_to_follow":false,"cursor":"c"}"#.utf8)
        try Self.expectFastPathReads(missing)
        #expect(try FetchDeviceResponse.readDirectly(json: missing).devices == nil)
    }

    @Test func readsAnEmptyProfileStatusAsEmpty() throws {
        let json = Self.page(#"[{"serial_number":"X","profile_status":""}]"#)
        try Self.expectFastPathReads(json)
        #expect(try FetchDeviceResponse.readDirectly(json: json).devices?.first?.profileStatus == .empty)
    }

    @Test func readsEscapedKeyNames() throws {
        try Self.expectFastPathReads(Self.page(#"[{"serial\u005fnumber":"X","\u006Fs":"iOS"}]"#))
    }

    @Test(arguments: [
        "", " ", "{", "[]", "null", #"{"devices":[]"#, #"{"devices":[],"fetched_until":"2025-05-04T09:12:00Z","#,
        String(decoding: page(), as: UTF8.self) + "x", String(decoding: page(), as: UTF8.self) + "{}",
        String(decoding: page(), as: UTF8.self) + ",", #"{"devices":[],}"#,
        String(decoding: page(#"[{"serial_number":"\x"}]"#), as: UTF8.self),
        String(decoding: page(#"[{"serial_number":"\u12G4"}]"#), as: UTF8.self),
        String(decoding: page(#"[{"serial_number":"\u12"}]"#), as: UTF8.self),
        String(decoding: page(#"[{"serial_number":"X"}"#), as: UTF8.self),
        String(decoding: page("[]", extra: #","x":[1 2]"#), as: UTF8.self),
        String(decoding: page("[]", extra: #","x":tru"#), as: UTF8.self),
        String(decoding: page("[]", extra: #","x":{"a"}"#), as: UTF8.self),
    ])
    func throwsOnMalformedJSONAsJSONDecoderDoes(_ text: String) {
        let json = Data(text.utf8)
        #expect(throws: (any Error).self) { try DEPJSON.decode(FetchDeviceResponse.self, from: json) }
        #expect(throws: (any Error).self) { try FetchDeviceResponse.readDirectly(json: json) }
        #expect(throws: (any Error).self) { try FetchDeviceResponse.read(json: json) }
    }

    @Test func throwsOnEveryTruncationOfAPage() {
        let json = Self.page("[\(Self.object(Self.fullMembers))]")
        for length in 0..<json.count {
            #expect(throws: (any Error).self) { try FetchDeviceResponse.read(json: json.prefix(length)) }
        }
    }

    @Test(arguments: [
        #"[{"serial_number":"X","profile_status":"lost"}]"#, #"[{"serial_number":"X","op_type":"gone"}]"#,
        #"[{"serial_number":"X","op_date":"yesterday"}]"#, #"[{"serial_number":7}]"#,
        #"[{"serial_number":"X","model":1}]"#, #"[{"serial_number":"X","imei":"35 1"}]"#,
        #"[{"serial_number":"X","imei":[null]}]"#, #"[{"serial_number":"X","wifi_mac_address":7}]"#,
        #"[{"serial_number":"X","wifi_mac_address":[["A"]]}]"#,
        #"[{"serial_number":"X","is_replacement_device":"true"}]"#,
        #"[{"serial_number":"X","is_replacement_device":1}]"#, #"[{"serial_number":null}]"#,
        #"[{"model":"no serial"}]"#, #"[null]"#, #"{}"#, #""devices""#,
    ])
    func throwsOnValuesOfTheWrongTypeAsJSONDecoderDoes(_ devices: String) {
        let json = Self.page(devices)
        #expect(throws: (any Error).self) { try DEPJSON.decode(FetchDeviceResponse.self, from: json) }
        #expect(throws: (any Error).self) { try FetchDeviceResponse.read(json: json) }
    }

    @Test(arguments: [
        #"{"devices":[],"fetched_until":null,"more_to_follow":true,"cursor":"c"}"#,
        #"{"devices":[],"fetched_until":"2025-05-04T09:12:00Z","more_to_follow":null,"cursor":"c"}"#,
        #"{"devices":[],"fetched_until":"2025-05-04T09:12:00Z","more_to_follow":true}"#,
        #"{"devices":[],"fetched_until":"2025-05-04","more_to_follow":true,"cursor":"c"}"#,
    ])
    func throwsOnAPageWithoutItsRequiredKeys(_ text: String) {
        #expect(throws: (any Error).self) { try FetchDeviceResponse.read(json: Data(text.utf8)) }
    }

    @Test(
        arguments: [
            // Shapes the fast path leaves to `JSONDecoder`, whatever it makes of them.
            page(#"[{"serial_number":"X","serial_number":"Y"}]"#),
            page(#"[{"serial_number":"X"}]"#, extra: #","cursor":"c2""#),
            page(#"[{"serial_number":"\ud83d"}]"#), page(#"[{"serial_number":"\ude00x"}]"#),
            page(#"[{"serial_number":"\ud83d\u0041"}]"#),
            page("[]", extra: "," + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)),
            // `JSONDecoder` reads these, all outside RFC 8259 (the first key wins of a repeated one).
            page(#"[{"serial_number":"X"},]"#), page("[]", extra: ","), page("[]", extra: #","x":01"#),
            page("[]", extra: #","x":1."#), page("[]", extra: #","x":1.5.5e"#),
            page("[]", extra: "\n,\"x\":\"tab\there\""),
            Data([0xEF, 0xBB, 0xBF]) + page(),
            Data(page(#"[{"serial_number":"A"}]"#).map { $0 == UInt8(ascii: "A") ? 0xFF : $0 }),
        ] as [Data])
    func leavesWhatItIsUnsureOfToJSONDecoder(_ json: Data) {
        #expect(throws: (any Error).self) { try FetchDeviceResponse.readDirectly(json: json) }
        let expected = Result { try DEPJSON.decode(FetchDeviceResponse.self, from: json) }
        switch (expected, Result { try FetchDeviceResponse.read(json: json) }) {
        case (.success(let expected), .success(let read)): #expect(read == expected)
        case (.failure, .failure): break
        default: Issue.record("read and JSONDecoder disagree on \(String(decoding: json, as: UTF8.self))")
        }
    }

    @Test func neverReadsADifferentPageAfterAnyOneByteChange() {
        let json = Self.page(
            "[\(Self.object(Array(Self.fullMembers.prefix(8))))]", extra: #","x":[{"y":-1.5e3},null,true]"#)
        let replacements = Array(#"{}[],:"\ 0-.en"#.utf8) + [0x7F, 0xC3, 0xFF]
        for position in json.indices {
            Self.expectAgreement(json.prefix(position) + json.dropFirst(position + 1))
            for byte in replacements {
                var changed = json
                changed[position] = byte
                Self.expectAgreement(changed)
            }
        }
    }

    @Test func aPageWithMoreDevicesThanItsLimitIsRefused() throws {
        let json = Self.page(#"[{"serial_number":"A"},{"serial_number":"B"},{"serial_number":"C"}]"#)

        #expect(try FetchDeviceResponse.read(json: json, limit: 3).devices?.count == 3)
        let error = #expect(throws: PageLimitExceeded.self) { try FetchDeviceResponse.read(json: json, limit: 2) }
        #expect(error?.description == "the page holds more than the 2 devices asked for")
    }

    @Test func aPageLeftToJSONDecoderIsHeldToItsLimitToo() throws {
        // A leading byte-order mark: JSONDecoder reads it, the hand-written reader leaves it.
        let json = Data("\u{FEFF}".utf8) + Self.page(#"[{"serial_number":"A"},{"serial_number":"B"}]"#)
        #expect(throws: (any Error).self) { try FetchDeviceResponse.readDirectly(json: json) }

        #expect(try FetchDeviceResponse.read(json: json, limit: 2).devices?.count == 2)
        #expect(throws: PageLimitExceeded.self) { try FetchDeviceResponse.read(json: json, limit: 1) }
    }

    @Test func thePageKeepsItsBytesOnlyWhenTheHandWrittenReaderTookThemWhole() throws {
        let plain = Self.page(#"[{"serial_number":"A"}]"#, extra: #","unknown":{"nested":[1,2]}"#)
        let kept = try FetchDeviceResponse.readKeepingBytes(json: plain, limit: 10)
        #expect(kept.json == plain)
        #expect(kept.page == Self.decoded(plain))

        // JSONDecoder reads a leading byte-order mark; such bytes are not passed on.
        let marked = Data("\u{FEFF}".utf8) + plain
        let dropped = try FetchDeviceResponse.readKeepingBytes(json: marked, limit: 10)
        #expect(dropped.json == nil)
        #expect(dropped.page == kept.page)
    }

    @Test func theReaderStopsAtTheFirstDeviceOverTheLimit() {
        // The device after the limit is not even well formed: reading stopped before it.
        let json = Self.page(#"[{"serial_number":"A"},{"serial_number":"B"},{"serial_number":7"#)
        #expect(throws: PageLimitExceeded.self) { try FetchDeviceResponse.read(json: json, limit: 2) }
    }

    @Test func onlyAPageOfAtMostAMebibyteIsLeftToJSONDecoder() throws {
        let padding = #","padding":""# + String(repeating: "x", count: 1 << 20) + #"""#
        let json = Data("\u{FEFF}".utf8) + Self.page(#"[{"serial_number":"A"}]"#, extra: padding)
        #expect(json.count > FetchDeviceResponse.largestDecodedPage)
        #expect(Self.decoded(json)?.devices?.count == 1)

        #expect(throws: JSONReadError.self) { try FetchDeviceResponse.read(json: json, limit: 10) }
    }
}
