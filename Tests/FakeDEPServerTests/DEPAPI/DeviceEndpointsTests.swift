import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Device details, disown, activation lock, replacement details, beta tokens, account-driven
/// enrollment and the account (dep-api §3.1, §3.4, §3.5, §3.11–§3.14).
struct DeviceEndpointsTests {
    // MARK: Details

    @Test func detailsAnswerThisServersDevicesAndOnlyAStatusForOthers() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Alpha MDM", devices: 2)
            let other = try await server.linkServer("Bravo MDM", devices: 1)
            let free = try await server.freeSerials(1)[0]
            let requested = [linked.serials[1], other.serials[0], free, TestServer.unknownSerial, linked.serials[0]]
            let response = try await linked.session.call(
                "POST", "/devices", json: try DEPJSON.encodeString(DeviceListRequest(devices: requested)))
            #expect(response.status == 200)
            let details = try DEPJSON.decode(DeviceListResponse.self, from: response.body)
            #expect(Set(details.devices.serials) == Set(requested))
            // The answer lists the serials in the order asked (a decoder does not keep key order).
            let positions = requested.map { response.text.range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil })
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
            let fetched = try await linked.session.fetchPage().devices ?? []
            for (index, serial) in linked.serials.enumerated() {
                var expected = fetched[index]
                expected.responseStatus = .success
                #expect(details.devices[serial] == .device(expected))
            }
            let raw = try #require(try DEPSession.object(response)["devices"] as? [String: [String: Any]])
            for serial in [other.serials[0], free, TestServer.unknownSerial] {
                #expect(raw[serial]?.keys.sorted() == ["response_status"])
                #expect(raw[serial]?["response_status"] as? String == "NOT_ACCESSIBLE")
            }
            #expect(raw[linked.serials[0]]?["response_status"] as? String == "SUCCESS")
        }
    }

    @Test func detailsNeedSerials() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            for body in ["{}", #"{"devices":[]}"#] {
                #expect(
                    try await linked.session.call("POST", "/devices", json: body).answer
                        == PlainAnswer(400, "DEVICE_ID_REQUIRED"))
            }
        }
    }

    // MARK: Disown

    @Test func disowningWithoutPermissionIsDenied() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            let body = try DEPJSON.encodeString(DeviceListRequest(devices: linked.serials))
            #expect(
                try await linked.session.call("POST", "/devices/disown", json: body).answer
                    == PlainAnswer(403, "ACCESS_DENIED"))
            #expect(try await server.inventoryRecord(linked.serials[0]).status == "assigned")
            #expect(try await linked.session.device(linked.serials[0]).responseStatus == .success)
        }
    }

    @Test func disowningWithPermissionReleasesTheDevices() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 2, mayDisown: true)
            let cursor = try await linked.session.exhaustedCursor()
            server.clock.advance(by: 60)
            let body = try DEPJSON.encodeString(
                DeviceListRequest(devices: [linked.serials[0], TestServer.unknownSerial]))
            let answer = try await linked.session.decode(
                DeviceStatusResponse.self, "POST", "/devices/disown", json: body)
            #expect(
                answer.devices
                    == DeviceResults<DeviceResultStatus>([
                        (linked.serials[0], .success), (TestServer.unknownSerial, .notAccessible),
                    ]))

            let events = try await linked.session.syncPage(cursor: cursor).devices ?? []
            #expect(events == [Device(serialNumber: linked.serials[0], opType: .deleted, opDate: server.clock.now)])
            let record = try await server.inventoryRecord(linked.serials[0])
            #expect(record.status == "released")
            #expect(record.server == nil)
            #expect(
                try await linked.session.details([linked.serials[0]]).devices[linked.serials[0]]
                    == .status(.notAccessible))
            // A released device cannot come back.
            let again = try await linked.session.decode(
                DeviceStatusResponse.self, "POST", "/devices/disown", json: body)
            #expect(again.devices[linked.serials[0]] == .notAccessible)
            _ = try await server.world.assign(serials: [linked.serials[0]], to: linked.name)
            #expect(try await server.inventoryRecord(linked.serials[0]).status == "released")
        }
    }

    @Test func disowningNeedsSerials() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(mayDisown: true)
            #expect(
                try await linked.session.call("POST", "/devices/disown", json: #"{"devices":[]}"#).answer
                    == PlainAnswer(400, "DEVICE_ID_REQUIRED"))
        }
    }

    // MARK: Activation lock

    @Test func aDeviceIsActivationLockedOnce() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1, family: "iPhone")
            let serial = linked.serials[0]
            let request = ActivationLockRequest(
                device: serial, escrowKey: String(repeating: "ab", count: 32), lostMessage: "Call +1 555 0100")
            let body = try DEPJSON.encodeString(request)
            let first = try await linked.session.decode(
                ActivationLockStatusResponse.self, "POST", "/device/activationlock", json: body)
            #expect(first == ActivationLockStatusResponse(serialNumber: serial, responseStatus: .success))
            #expect(try await server.inventoryRecord(serial).activationLocked)
            let second = try await linked.session.decode(
                ActivationLockStatusResponse.self, "POST", "/device/activationlock", json: body)
            #expect(second == ActivationLockStatusResponse(serialNumber: serial, responseStatus: .deviceAlreadyLocked))
        }
    }

    @Test func anotherServersOrAnUnknownDeviceIsNotAccessibleForActivationLock() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Alpha MDM")
            let other = try await server.linkServer("Bravo MDM", devices: 1, family: "Mac")
            for serial in [other.serials[0], TestServer.unknownSerial] {
                let answer = try await linked.session.decode(
                    ActivationLockStatusResponse.self, "POST", "/device/activationlock",
                    json: try DEPJSON.encodeString(ActivationLockRequest(device: serial)))
                #expect(answer == ActivationLockStatusResponse(serialNumber: serial, responseStatus: .notAccessible))
            }
            #expect(try await !server.inventoryRecord(other.serials[0]).activationLocked)
        }
    }

    @Test(arguments: ["AppleTV", "Vision"])
    func deviceWithoutActivationLockIsNotSupported(family: String) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1, family: family)
            let answer = try await linked.session.decode(
                ActivationLockStatusResponse.self, "POST", "/device/activationlock",
                json: try DEPJSON.encodeString(ActivationLockRequest(device: linked.serials[0])))
            #expect(answer.responseStatus == .deviceNotSupported)
            #expect(try await !server.inventoryRecord(linked.serials[0]).activationLocked)
        }
    }

    @Test func activationLockNeedsADevice() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            for body in ["{}", #"{"device":""}"#, #"{"escrow_key":"00"}"#] {
                #expect(
                    try await linked.session.call("POST", "/device/activationlock", json: body).answer
                        == PlainAnswer(400, "DEVICE_ID_REQUIRED"), "\(body)")
            }
        }
    }

    // MARK: Replacement details

    @Test func replacementDetailsNeedProtocolVersionTen() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1, version: 9)
            let response = try await linked.session.call(
                "GET", "/device/replacementDetails?device=\(linked.serials[0])")
            #expect(response.status == 404)
        }
    }

    @Test func replacementDetailsOfADeviceThatReplacedNothingAreNotFound() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            for serial in [linked.serials[0], TestServer.unknownSerial] {
                let response = try await linked.session.call("GET", "/device/replacementDetails?device=\(serial)")
                // The live service answers 400, though Apple documents 404 (dep-api §3.12).
                #expect(response.answer == PlainAnswer(400, "DEVICE_NOT_FOUND"))
            }
        }
    }

    @Test func replacementDetailsNeedADevice() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            for path in ["/device/replacementDetails", "/device/replacementDetails?device="] {
                #expect(try await linked.session.call("GET", path).answer == PlainAnswer(400, "DEVICE_ID_REQUIRED"))
            }
        }
    }

    // MARK: Beta enrollment tokens

    @Test func betaTokensAreStableSixtyFourCharacterAlphanumerics() async throws {
        try await TestServer.with { server in
            let alpha = try await server.linkServer("Alpha MDM")
            let response = try await alpha.session.call("GET", "/os-beta-enrollment/tokens")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == DEPHeader.jsonContentType)
            #expect(Set(try DEPSession.object(response).keys) == ["betaEnrollmentTokens"])
            let tokens = try DEPJSON.decode(GetSeedBuildTokenResponse.self, from: response.body).allTokens
            #expect(Set(tokens.map(\.os)) == ["iOS", "OSX", "tvOS", "visionOS", "watchOS"])
            #expect(Set(tokens.map(\.token)).count == tokens.count)
            for token in tokens {
                #expect(token.token.wholeMatch(of: /[A-Za-z0-9]{64}/) != nil)
                #expect(!token.title.isEmpty)
            }

            server.clock.advance(by: 100)
            let again = try await alpha.session.decode(
                GetSeedBuildTokenResponse.self, "GET", "/os-beta-enrollment/tokens")
            #expect(again.allTokens == tokens)
            // They belong to the organisation, so every server sees the same ones.
            let bravo = try await server.linkServer("Bravo MDM")
            let bravos = try await bravo.session.decode(
                GetSeedBuildTokenResponse.self, "GET", "/os-beta-enrollment/tokens")
            #expect(bravos.allTokens == tokens)
        }
    }

    // MARK: Account-driven enrollment

    @Test func theServiceDiscoveryURLIsSetReadAndRemoved() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let path = "/account-driven-enrollment/profile"
            let none = try await linked.session.call("GET", path)
            #expect(none.answer == PlainAnswer(404, "NOT_FOUND"))

            let url = "https://mdm.acme.example/.well-known/com.apple.remotemanagement"
            let set = try await linked.session.call(
                "POST", path,
                json: try DEPJSON.encodeString(AccountDrivenEnrollmentProfileRequest(mdmServiceDiscoveryURL: url)))
            #expect(set.status == 200)
            let setAt = server.clock.now
            server.clock.advance(by: 30)

            let read = try await linked.session.decode(GetAccountDrivenEnrollmentProfileResponse.self, "GET", path)
            #expect(
                read
                    == GetAccountDrivenEnrollmentProfileResponse(
                        mdmServiceDiscoveryURL: url, lastUpdatedTimestamp: setAt))

            // Another server has its own (none).
            let other = try await server.linkServer("Other MDM")
            #expect(try await other.session.call("GET", path).answer == PlainAnswer(404, "NOT_FOUND"))

            #expect(try await linked.session.call("DELETE", path).status == 200)
            #expect(try await linked.session.call("GET", path).answer == PlainAnswer(404, "NOT_FOUND"))
        }
    }

    @Test func theServiceDiscoveryURLMustBeHTTPS() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let path = "/account-driven-enrollment/profile"
            let refused: [(json: String, code: String)] = [
                ("{}", "MDM_SERVICE_DISCOVERY_URL_REQUIRED"),
                (#"{"mdm_service_discovery_url":""}"#, "MDM_SERVICE_DISCOVERY_URL_REQUIRED"),
                (
                    #"{"mdm_service_discovery_url":"http://mdm.example/.well-known/x"}"#,
                    "MDM_SERVICE_DISCOVERY_URL_NOT_VALID"
                ),
                (#"{"mdm_service_discovery_url":"not a url"}"#, "MDM_SERVICE_DISCOVERY_URL_NOT_VALID"),
                (#"{"mdm_service_discovery_url":"https://"}"#, "MDM_SERVICE_DISCOVERY_URL_NOT_VALID"),
            ]
            for (json, code) in refused {
                #expect(
                    try await linked.session.call("POST", path, json: json).answer == PlainAnswer(400, code), "\(json)")
            }
            #expect(try await linked.session.call("GET", path).status == 404)
        }
    }

    // MARK: Account

    @Test func theAccountNamesTheServerAndItsOrganisation() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Account MDM")
            let response = try await linked.session.call("GET", "/account")
            let account = try DEPJSON.decode(AccountDetail.self, from: response.body)
            #expect(account.serverName == "Account MDM")
            #expect(account.serverUUID == linked.enrolled.uuid)
            #expect(account.adminID == "ade-admin@acme.example")
            #expect(account.facilitatorID == account.adminID)
            #expect(account.orgName == "Acme Corp")
            #expect(account.orgEmail == "it@acme.example")
            #expect(account.orgPhone == "+1 555 0100")
            #expect(account.orgAddress == "1 Example Way, Springfield, 12345, US")
            #expect(account.orgID == "1234567")
            #expect(account.orgIDHash?.wholeMatch(of: /[0-9a-f]{64}/) != nil)
            #expect(account.orgType == "org")
            #expect(account.orgVersion == "v2")

            // Apple's observed key order (dep-api §3.1).
            let keys = [
                "server_name", "server_uuid", "facilitator_id", "admin_id", "org_name", "org_email", "org_phone",
                "org_address", "org_id", "org_id_hash", "urls", "org_type", "org_version",
            ]
            let positions = keys.map { response.text.range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil })
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        }
    }

    @Test func theAccountListsTheEndpointsWithTheirLimits() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let account = try await linked.session.decode(AccountDetail.self, "GET", "/account")
            let urls = try #require(account.urls)
            let byURI = Dictionary(uniqueKeysWithValues: urls.map { ($0.uri, $0) })
            #expect(byURI["/session"]?.httpMethod == ["GET"])
            #expect(byURI["/server/devices"]?.httpMethod == ["POST"])
            #expect(byURI["/server/devices"]?.limit == PageLimit(default: 100, maximum: 1000))
            #expect(byURI["/devices/sync"]?.limit == PageLimit(default: 100, maximum: 1000))
            #expect(Set(byURI["/profile/devices"]?.httpMethod ?? []) == ["PUT", "POST", "DELETE"])
            #expect(Set(byURI["/account-driven-enrollment/profile"]?.httpMethod ?? []) == ["GET", "POST", "DELETE"])
            for uri in [
                "/account", "/devices", "/devices/disown", "/profile", "/device/activationlock",
                "/device/replacementDetails", "/os-beta-enrollment/tokens",
            ] {
                #expect(byURI[uri] != nil, "\(uri)")
            }
            #expect(account.limit(for: "/server/devices")?.default == 100)
        }
    }

    @Test func theAccountsLimitsFollowTheSettings() async throws {
        var settings = World.Settings()
        settings.defaultLimit = 200
        settings.maximumLimit = 500
        try await TestServer.with(settings: settings) { server in
            let linked = try await server.linkServer(devices: 3)
            let account = try await linked.session.decode(AccountDetail.self, "GET", "/account")
            #expect(account.limit(for: "/server/devices") == PageLimit(default: 200, maximum: 500))
        }
    }
}
