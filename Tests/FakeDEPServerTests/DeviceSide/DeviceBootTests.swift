import DEPCrypto
import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// A device powering on and fetching its activation record (dep-api §7.2, §7.3) through
/// `POST /device/boot/{serial}`, and what its MDM server's sync sees of it.
struct DeviceBootTests {
    /// Every cloud-configuration key a profile and the organisation can set.
    static let everyKey: Set<String> = [
        "AllowPairing", "AnchorCertificates", "AwaitDeviceConfigured", "ConfigurationURL", "ConfigurationWebURL",
        "IsMandatory", "IsMDMUnremovable", "IsMultiUser", "IsSupervised", "OrganizationAddress",
        "OrganizationDepartment", "OrganizationEmail", "OrganizationMagic", "OrganizationName", "OrganizationPhone",
        "OrganizationSupportEmail", "OrganizationSupportPhone", "SkipSetup", "SupervisorHostCertificates",
    ]

    /// A profile that sets every key the cloud configuration maps, with a real certificate.
    static func fullProfile(devices: [String]) throws -> Profile {
        var profile = Profile(profileName: "Acme Macs", url: "https://mdm.acme.example/enroll")
        profile.configurationWebURL = "https://mdm.acme.example/login"
        profile.allowPairing = false
        profile.isSupervised = true
        profile.isMultiUser = false
        profile.isMandatory = true
        profile.isMDMRemovable = false
        profile.awaitDeviceConfigured = true
        profile.supportPhoneNumber = "+1 555 0100"
        profile.supportEmailAddress = "it@acme.example"
        profile.orgMagic = "ACME-IT"
        profile.department = "IT & Facilities"
        profile.anchorCerts = [try TestKeyPair.shared.certificate.der.base64EncodedString()]
        profile.supervisingHostCerts = []
        profile.skipSetupItems = ["AppleID", "Location", "Siri"]
        profile.devices = devices
        return profile
    }

    /// A server with `devices` devices, the first of which is assigned the full profile.
    static func serverWithProfile(_ server: TestServer, devices: Int = 1) async throws
        -> (linked: LinkedServer, profileUUID: String)
    {
        let linked = try await server.linkServer(devices: devices)
        let defined = try await linked.session.defineProfile(
            try DEPJSON.encodeString(try fullProfile(devices: [linked.serials[0]])))
        return (linked, defined.profileUUID)
    }

    /// What the device must receive: the profile mapped with the organisation's details.
    static func expectedConfiguration(_ server: TestServer) async throws -> CloudConfiguration {
        let organisation = try await server.world.organisationDetails()
        return try CloudConfiguration(
            profile: try fullProfile(devices: []),
            organization: .init(
                name: organisation.name, address: organisation.address, email: organisation.email,
                phone: organisation.phone))
    }

    @Test func aDeviceWithAProfileReceivesEveryMappedKeyAsJSON() async throws {
        try await TestServer.with { server in
            let (linked, uuid) = try await Self.serverWithProfile(server)
            let response = try await server.send("POST", "/device/boot/\(linked.serials[0])")
            #expect(response.status == 200, "\(response.text)")
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.header("X-FakeDEP-Profile-UUID") == uuid)
            #expect(response.header("X-FakeDEP-Profile-Status") == "pushed")
            #expect(response.header("X-FakeDEP-Profile-Push-Time") == DEPDate.format(server.clock.now))
            let keys = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any]).keys
            #expect(Set(keys) == Self.everyKey)
            let record = try DEPJSON.decode(CloudConfiguration.self, from: response.body)
            let expected = try await Self.expectedConfiguration(server)
            #expect(record == expected)
            #expect(record.isMDMUnremovable == true)
            #expect(record.allowPairing == false)
            #expect(record.anchorCertificates == [try TestKeyPair.shared.certificate.der])
            #expect(record.organizationName?.isEmpty == false)
        }
    }

    @Test(arguments: [
        ("?format=plist", [(String, String)]()), ("", [("Accept", "application/x-plist")]),
        ("?format=plist", [("Accept", "application/json")]),
    ])
    func thePropertyListFormIsValidAndCarriesTheSameRecord(query: String, headers: [(String, String)]) async throws {
        try await TestServer.with { server in
            let (linked, _) = try await Self.serverWithProfile(server)
            let response = try await server.send(
                "POST", "/device/boot/\(linked.serials[0])\(query)", headers: headers.map { ($0.0, $0.1) })
            #expect(response.status == 200, "\(response.text)")
            #expect(response.header("Content-Type") == "application/x-plist")
            let parsed = try PropertyListSerialization.propertyList(from: response.body, options: [], format: nil)
            let dictionary = try #require(parsed as? [String: Any])
            #expect(Set(dictionary.keys) == Self.everyKey)
            let expected = try await Self.expectedConfiguration(server)
            #expect(dictionary["ConfigurationURL"] as? String == expected.configurationURL)
            #expect(dictionary["OrganizationDepartment"] as? String == "IT & Facilities")
            #expect(dictionary["OrganizationName"] as? String == expected.organizationName)
            #expect(dictionary["IsMDMUnremovable"] as? Bool == true)
            #expect(dictionary["AllowPairing"] as? Bool == false)
            #expect(dictionary["AnchorCertificates"] as? [Data] == [try TestKeyPair.shared.certificate.der])
            #expect((dictionary["SupervisorHostCertificates"] as? [Any])?.isEmpty == true)
            #expect(dictionary["SkipSetup"] as? [String] == ["AppleID", "Location", "Siri"])
        }
    }

    @Test func bootingMakesTheDevicePushedAndItsServerSyncsAModifiedEvent() async throws {
        try await TestServer.with { server in
            let (linked, uuid) = try await Self.serverWithProfile(server)
            let serial = linked.serials[0]
            let assigned = try await linked.session.device(serial)
            #expect(assigned.profileStatus == .assigned)
            let cursor = try await linked.session.exhaustedCursor()

            server.clock.advance(by: 90)
            let boot = try await server.send("POST", "/device/boot/\(serial)")
            #expect(boot.status == 200)
            let pushed = try await linked.session.device(serial)
            #expect(pushed.profileStatus == .pushed)
            #expect(pushed.profilePushTime == server.clock.now)
            #expect(pushed.profileUUID == uuid)
            #expect(pushed.profileAssignTime == assigned.profileAssignTime)

            let page = try await linked.session.syncPage(cursor: cursor)
            #expect((page.devices ?? []).map(\.serialNumber) == [serial])
            let event = try #require(page.devices?.first)
            #expect(event.opType == .modified)
            #expect(event.opDate == server.clock.now)
            #expect(event.profileStatus == .pushed)
            #expect(event.profilePushTime == server.clock.now)
            #expect(event.profileUUID == uuid)

            // Booting again fetches again: still pushed, a later push time, another event.
            server.clock.advance(by: 120)
            let again = try await server.world.bootDevice(serial: serial)
            guard case .managed(let record) = again else {
                Issue.record("the second boot got no remote management: \(again)")
                return
            }
            #expect(record.pushTime == server.clock.now)
            #expect(try await linked.session.device(serial).profilePushTime == server.clock.now)
            let next = try await linked.session.syncPage(cursor: page.cursor)
            #expect((next.devices ?? []).map(\.opType) == [.modified])
            #expect(next.devices?.first?.profileStatus == .pushed)
            #expect(next.devices?.first?.profilePushTime == server.clock.now)
        }
    }

    @Test func aDeviceOnNoServerGetsNoRemoteManagementAndNothingChanges() async throws {
        try await TestServer.with { server in
            let serial = try await server.freeSerials(1)[0]
            let before = try await server.inventoryRecord(serial)
            let response = try await server.send("POST", "/device/boot/\(serial)?format=plist")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.header("X-FakeDEP-Profile-Status") == nil)
            let answer = try Self.unmanaged(response)
            #expect(answer.remoteManagement == false)
            #expect(answer.reason == "not_assigned")
            #expect(answer.message.contains("not assigned to any MDM server"))
            #expect(try await server.inventoryRecord(serial) == before)
        }
    }

    @Test func aReleasedDeviceGetsNoRemoteManagement() async throws {
        try await TestServer.with { server in
            let serial = try await server.freeSerials(1)[0]
            _ = try await server.world.release(serials: [serial])
            guard case .unmanaged(let answer) = try await server.world.bootDevice(serial: serial) else {
                Issue.record("a released device was managed")
                return
            }
            #expect(answer.reason == .released)
        }
    }

    @Test func anAssignedDeviceWithoutAProfileGetsNoRemoteManagementAndNoEvent() async throws {
        try await TestServer.with { server in
            let (linked, _) = try await Self.serverWithProfile(server, devices: 2)
            let serial = linked.serials[1]
            let cursor = try await linked.session.exhaustedCursor()
            let before = try await linked.session.device(serial)
            server.clock.advance(by: 60)

            let response = try await server.send("POST", "/device/boot/\(serial)")
            #expect(response.status == 200)
            let answer = try Self.unmanaged(response)
            #expect(answer.reason == "no_profile")
            #expect(answer.message.contains(#"MDM server "Test MDM""#))

            #expect(try await linked.session.device(serial) == before)
            #expect(try await (linked.session.syncPage(cursor: cursor).devices ?? []).isEmpty)
        }
    }

    @Test func aDeviceWhoseProfileWasRemovedGetsNoRemoteManagementAndNoEvent() async throws {
        try await TestServer.with { server in
            let (linked, _) = try await Self.serverWithProfile(server)
            let serial = linked.serials[0]
            let removal = try await linked.session.call(
                "DELETE", "/profile/devices", json: #"{"devices":["\#(serial)"]}"#)
            #expect(removal.status == 200, "\(removal.text)")
            let cursor = try await linked.session.exhaustedCursor()
            let before = try await linked.session.device(serial)
            #expect(before.profileStatus == .removed)

            let response = try await server.send("POST", "/device/boot/\(serial)")
            #expect(try Self.unmanaged(response).reason == "profile_removed")
            #expect(try await linked.session.device(serial) == before)
            #expect(try await (linked.session.syncPage(cursor: cursor).devices ?? []).isEmpty)
        }
    }

    @Test func aSerialIsReadAsThePortalReadsIt() async throws {
        try await TestServer.with { server in
            let (linked, _) = try await Self.serverWithProfile(server)
            let response = try await server.send("POST", "/device/boot/\(linked.serials[0].lowercased())")
            #expect(response.status == 200)
            #expect(response.header("X-FakeDEP-Profile-Status") == "pushed")
        }
    }

    @Test func anUnknownSerialIsNotFoundInThePortalsErrorShape() async throws {
        try await TestServer.with { server in
            let response = try await server.send("POST", "/device/boot/\(TestServer.unknownSerial)")
            #expect(response.status == 404)
            #expect(response.header("Content-Type") == "application/json")
            let problem = try PortalProblem(response)
            #expect(problem.error == "NOT_FOUND")
            #expect(problem.message.contains(TestServer.unknownSerial))
        }
    }

    @Test func aMalformedSerialOrFormatIsRefused() async throws {
        try await TestServer.with { server in
            let serial = try await server.freeSerials(1)[0]
            let badSerial = try PortalProblem(try await server.send("POST", "/device/boot/no%20such"))
            #expect(badSerial.status == 400)
            #expect(badSerial.error == "INVALID_SERIAL")
            let badFormat = try PortalProblem(try await server.send("POST", "/device/boot/\(serial)?format=xml"))
            #expect(badFormat.status == 400)
            #expect(badFormat.error == "INVALID_REQUEST")
        }
    }

    @Test func onlyPostBootsADevice() async throws {
        try await TestServer.with { server in
            let serial = try await server.freeSerials(1)[0]
            let response = try await server.send("GET", "/device/boot/\(serial)")
            #expect(response.status == 405)
            #expect(response.header("Allow") == "POST")
        }
    }

    /// The answer for a device with no remote management, read strictly.
    struct Unmanaged: Decodable {
        var remoteManagement: Bool
        var reason: String
        var message: String

        enum CodingKeys: String, CodingKey {
            case remoteManagement = "remote_management", reason, message
        }
    }

    static func unmanaged(_ response: HTTPResponse) throws -> Unmanaged {
        let keys = (try JSONSerialization.jsonObject(with: response.body) as? [String: Any])?.keys
        #expect(keys.map(Set.init) == ["remote_management", "reason", "message"], "\(response.text)")
        return try DEPJSON.decode(Unmanaged.self, from: response.body)
    }
}
