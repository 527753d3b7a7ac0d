import DEPTestSupport
import DEPWire
import Foundation
import Testing

/// Every example body of dep-api.md decodes into its type, encodes back to the same JSON, and
/// validates against Apple's schema.
struct ExampleRoundTripTests {
    /// How one wire type is read, written, and which schema describes it.
    struct WireType: Sendable {
        let schema: String?
        let roundTrip: @Sendable (Data) throws -> Data

        static func of<T: Codable & SendableMetatype>(_ type: T.Type, schema: String? = String(describing: T.self))
            -> WireType
        {
            WireType(schema: schema) { data in try DEPJSON.encode(try DEPJSON.decode(T.self, from: data)) }
        }
    }

    static let types: [String: WireType] = [
        "SessionResponse": .of(SessionResponse.self, schema: nil),
        "AccountDetail": .of(AccountDetail.self),
        "FetchDeviceRequest": .of(FetchDeviceRequest.self),
        "FetchDeviceResponse": .of(FetchDeviceResponse.self),
        "SyncDeviceRequest": .of(SyncDeviceRequest.self),
        "DeviceListRequest": .of(DeviceListRequest.self),
        "DeviceListResponse": .of(DeviceListResponse.self),
        "DeviceStatusResponse": .of(DeviceStatusResponse.self),
        "Profile": .of(Profile.self),
        "DefineProfileResponse": .of(DefineProfileResponse.self),
        "ProfileServiceRequest": .of(ProfileServiceRequest.self),
        "AssignProfileResponse": .of(AssignProfileResponse.self),
        "ClearProfileRequest": .of(ClearProfileRequest.self),
        "ClearProfileResponse": .of(ClearProfileResponse.self),
        "ActivationLockRequest": .of(ActivationLockRequest.self),
        "ActivationLockStatusResponse": .of(ActivationLockStatusResponse.self),
        "ReplacementDetails": .of(ReplacementDetails.self, schema: nil),
        "GetSeedBuildTokenResponse": .of(GetSeedBuildTokenResponse.self),
        "AccountDrivenEnrollmentProfileRequest": .of(AccountDrivenEnrollmentProfileRequest.self),
        "GetAccountDrivenEnrollmentProfileResponse": .of(GetAccountDrivenEnrollmentProfileResponse.self),
    ]

    static func wireType(of example: URL) throws -> WireType {
        let name = String(example.lastPathComponent.prefix { $0 != "-" })
        return try #require(types[name], "no wire type for \(example.lastPathComponent)")
    }

    @Test func everyDocumentedExampleIsCovered() {
        #expect(Fixtures.examples.count >= 24)
    }

    @Test(arguments: Fixtures.examples)
    func exampleReEncodesToTheSameJSONValue(_ example: URL) throws {
        let original = try Data(contentsOf: example)
        let reencoded = try Self.wireType(of: example).roundTrip(original)
        let before = try JSONSerialization.jsonObject(with: original) as? NSObject
        let after = try JSONSerialization.jsonObject(with: reencoded) as? NSObject
        #expect(before == after, "\(String(decoding: reencoded, as: UTF8.self))")
    }

    /// Examples whose `devices` object holds several serials: `JSONDecoder` does not report an
    /// object's keys in document order, so these come back equal as values, not as bytes.
    static let examplesWithSerialMaps: Set = [
        "AssignProfileResponse-assign.json", "DefineProfileResponse-define.json",
        "DeviceListResponse-details.json", "DeviceStatusResponse-disown.json",
    ]

    /// Every other example comes back byte for byte, keys in Apple's order.
    @Test(arguments: Fixtures.examples.filter { !examplesWithSerialMaps.contains($0.lastPathComponent) })
    func exampleReEncodesByteForByte(_ example: URL) throws {
        let original = String(decoding: try Data(contentsOf: example), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let reencoded = try Self.wireType(of: example).roundTrip(Data(original.utf8))
        #expect(String(decoding: reencoded, as: UTF8.self) == original)
    }

    @Test func everyReEncodedExampleValidatesAgainstItsSchema() throws {
        var documents: [(schema: String, json: Data)] = []
        for example in Fixtures.examples {
            let type = try Self.wireType(of: example)
            guard let schema = type.schema else { continue }
            documents.append((schema, try type.roundTrip(try Data(contentsOf: example))))
        }
        #expect(documents.count >= 20)
        try SchemaValidator.validate(documents)
    }

    @Test func schemaValidationRejectsAWrongDocument() {
        let wrong = Data(#"{"serial_number":"X","model":"m","profile_status":"lost"}"#.utf8)
        #expect(throws: SchemaValidator.Failure.self) { try SchemaValidator.validate([("Device", wrong)]) }
    }
}
