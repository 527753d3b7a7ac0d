import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Real answers of every endpoint, validated against Apple's JSON schemas (Schemas/dep) with the
/// two looser forms Apple really sends: minimal `deleted` sync entries and `NOT_ACCESSIBLE`-only
/// details entries (dep-api §3.3, §3.4).
struct SchemaValidationTests {
    @Test(arguments: [10, 1])
    func everyAnswerMatchesItsSchema(version: Int) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 4, family: "iPad", version: version, mayDisown: true)
            let other = try await server.linkServer("Other MDM", devices: 1)
            let session = linked.session
            let serials = linked.serials
            var documents: [(schema: String, json: Data)] = []
            func collect(_ schema: String, _ response: HTTPResponse) throws {
                guard response.status == 200 else { throw DEPError(status: response.status, body: response.text) }
                documents.append((schema, response.body))
            }

            try collect("AccountDetail", try await session.call("GET", "/account"))
            let fetched = try await session.fetch(limit: 3)
            try collect("FetchDeviceResponse", fetched)
            let cursor = try await session.exhaustedCursor()

            let profile = try await session.call("POST", "/profile", json: ProfileTests.full)
            try collect("DefineProfileResponse", profile)
            let uuid = try DEPJSON.decode(DefineProfileResponse.self, from: profile.body).profileUUID
            var withDevices = try DEPJSON.decode(Profile.self, from: ProfileTests.full)
            withDevices.devices = [serials[3], other.serials[0]]
            try collect(
                "DefineProfileResponse",
                try await session.call("POST", "/profile", json: try DEPJSON.encodeString(withDevices)))
            try collect("Profile", try await session.call("GET", "/profile?profile_uuid=\(uuid)"))
            let assign = try DEPJSON.encodeString(
                ProfileServiceRequest(profileUUID: uuid, devices: [serials[0], serials[1], other.serials[0]]))
            try collect("AssignProfileResponse", try await session.call("PUT", "/profile/devices", json: assign))
            let remove = try DEPJSON.encodeString(ClearProfileRequest(devices: [serials[1], TestServer.unknownSerial]))
            try collect("ClearProfileResponse", try await session.call("DELETE", "/profile/devices", json: remove))

            let details = try DEPJSON.encodeString(
                DeviceListRequest(devices: serials + [other.serials[0], TestServer.unknownSerial]))
            try collect("DeviceListResponse", try await session.call("POST", "/devices", json: details))
            let lock = try DEPJSON.encodeString(ActivationLockRequest(device: serials[2]))
            try collect(
                "ActivationLockStatusResponse", try await session.call("POST", "/device/activationlock", json: lock))
            try collect(
                "ActivationLockStatusResponse", try await session.call("POST", "/device/activationlock", json: lock))
            let disown = try DEPJSON.encodeString(DeviceListRequest(devices: [serials[2], other.serials[0]]))
            try collect("DeviceStatusResponse", try await session.call("POST", "/devices/disown", json: disown))

            _ = try await server.world.unassign(serials: [serials[3]])
            let sync = try await session.sync(cursor: cursor)
            try collect("FetchDeviceResponse", sync)
            let ops = try DEPJSON.decode(FetchDeviceResponse.self, from: sync.body).devices?.map(\.opType) ?? []
            #expect(Set(ops) == [.modified, .deleted])
            try collect(
                "FetchDeviceResponse",
                try await session.sync(cursor: try DEPJSON.decode(FetchDeviceResponse.self, from: sync.body).cursor))

            try collect("GetSeedBuildTokenResponse", try await session.call("GET", "/os-beta-enrollment/tokens"))
            try await session.setServiceDiscoveryURL()
            try collect(
                "GetAccountDrivenEnrollmentProfileResponse",
                try await session.call("GET", "/account-driven-enrollment/profile"))

            #expect(documents.count == 15)
            try SchemaValidator.validate(documents)
        }
    }
}
