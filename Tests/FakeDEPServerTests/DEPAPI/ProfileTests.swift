import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Profiles over HTTP: define with its checks, get, assign with PUT or POST, remove with a
/// DELETE body, and the sync events they cause (dep-api §3.6–§3.9, §5, §9).
struct ProfileTests {
    // MARK: Define

    @Test(arguments: ProfileMistake.allCases)
    func aProfileWithAMistakeIsRefusedWithItsCode(mistake: ProfileMistake) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let response = try await linked.session.call("POST", "/profile", json: mistake.json)
            #expect(response.answer == PlainAnswer(400, mistake.code))
        }
    }

    @Test func theChecksRunInTheDocumentedOrder() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            // Every field wrong; each fix reveals the next code (Profile.validationError's order).
            var profile: [String: String] = [
                "department": "", "language": "e", "org_magic": String(repeating: "m", count: 257),
                "support_email_address": "", "support_phone_number": "",
            ]
            var flags: [String: Bool] = ["is_mdm_removable": false]
            var codes: [String] = []
            let fixes: [(inout [String: String], inout [String: Bool]) -> Void] = [
                { profile, _ in profile["profile_name"] = "" },
                { profile, _ in profile["profile_name"] = "Ordered" },
                { profile, _ in profile["url"] = "no scheme" },
                { profile, _ in profile["url"] = "https://mdm.example/enroll" },
                { profile, _ in profile["department"] = "IT" },
                { _, flags in flags["is_supervised"] = true },
                { profile, _ in profile["language"] = "en" },
                { profile, _ in profile["org_magic"] = "magic" },
                { profile, _ in profile["support_email_address"] = "it@acme.example" },
                { profile, _ in profile["support_phone_number"] = "+1 555 0100" },
            ]
            for fix in fixes {
                let response = try await linked.session.call("POST", "/profile", json: try Self.json(profile, flags))
                codes.append(response.status == 200 ? "OK" : response.text)
                fix(&profile, &flags)
            }
            let last = try await linked.session.call("POST", "/profile", json: try Self.json(profile, flags))
            codes.append(last.status == 200 ? "OK" : last.text)
            #expect(
                codes == [
                    "CONFIG_NAME_REQUIRED", "CONFIG_NAME_INVALID", "CONFIG_URL_REQUIRED", "CONFIG_URL_INVALID",
                    "DEPARTMENT_INVALID", "FLAGS_INVALID", "LOCALE_INVALID", "MAGIC_INVALID",
                    "SUPPORT_EMAIL_INVALID", "SUPPORT_PHONE_INVALID", "OK",
                ])
        }
    }

    @Test func valuesAtTheirLimitsAreAccepted() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let profile: [String: Any] = [
                "profile_name": String(repeating: "é", count: 125),
                "url": "https://mdm.example/" + String(repeating: "a", count: 2000 - 20),
                "department": String(repeating: "d", count: 125), "org_magic": String(repeating: "m", count: 256),
                "support_email_address": String(repeating: "e", count: 250),
                "support_phone_number": String(repeating: "1", count: 50), "language": "eng", "region": "US",
                "is_mdm_removable": false, "is_supervised": true,
            ]
            let body = String(decoding: try JSONSerialization.data(withJSONObject: profile), as: UTF8.self)
            let response = try await linked.session.call("POST", "/profile", json: body)
            #expect(response.status == 200, "\(response.text)")
        }
    }

    @Test func lenientModeAcceptsAnAbsentOrEmptyOrgMagicAndStrictModeDoesNot() async throws {
        for (strictness, expected) in [(Profile.Strictness.lenient, 200), (.strict, 400)] {
            var settings = World.Settings()
            settings.profileStrictness = strictness
            try await TestServer.with(settings: settings) { server in
                let linked = try await server.linkServer()
                for magic in [nil, ""] as [String?] {
                    var profile = Profile(profileName: "Magic", url: "https://mdm.example/enroll")
                    profile.orgMagic = magic
                    let response = try await linked.session.call(
                        "POST", "/profile", json: try DEPJSON.encodeString(profile))
                    #expect(response.status == expected, "\(strictness) \(magic ?? "absent")")
                    if expected == 400 { #expect(response.text == "MAGIC_INVALID") }
                }
            }
        }
    }

    @Test func everyDefinitionIsANewProfile() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let first = try await linked.session.defineProfile(Self.minimal)
            let second = try await linked.session.defineProfile(Self.minimal)
            #expect(first.profileUUID != second.profileUUID)
            for uuid in [first.profileUUID, second.profileUUID] {
                #expect(uuid.wholeMatch(of: /[0-9A-F]{32}/) != nil)
            }
            // Without `devices` in the request, the answer has none.
            let raw = try DEPSession.object(try await linked.session.call("POST", "/profile", json: Self.minimal))
            #expect(Set(raw.keys) == ["profile_uuid"])
        }
    }

    @Test func definingWithDevicesAssignsThisServersDevicesOnly() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Alpha MDM", devices: 2)
            let other = try await server.linkServer("Bravo MDM", devices: 1)
            let free = try await server.freeSerials(1)[0]
            let requested = linked.serials + [other.serials[0], free, TestServer.unknownSerial]
            let defined = try await linked.session.defineProfile(
                try Self.minimal(devices: requested))
            #expect(
                defined.devices
                    == DeviceResults<DeviceResultStatus>([
                        (linked.serials[0], .success), (linked.serials[1], .success),
                        (other.serials[0], .notAccessible), (free, .notAccessible),
                        (TestServer.unknownSerial, .notAccessible),
                    ]))
            for serial in linked.serials {
                let device = try await linked.session.device(serial)
                #expect(device.profileUUID == defined.profileUUID)
                #expect(device.profileStatus == .assigned)
                #expect(device.profileAssignTime == server.clock.now)
            }
            #expect(try await other.session.device(other.serials[0]).profileStatus == .empty)
        }
    }

    // MARK: Get

    @Test func aProfileIsReadBackAsDefinedWithItsUUID() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            var profile = try DEPJSON.decode(Profile.self, from: Self.full)
            profile.devices = linked.serials
            let defined = try await linked.session.defineProfile(try DEPJSON.encodeString(profile))

            let response = try await linked.session.call("GET", "/profile?profile_uuid=\(defined.profileUUID)")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == DEPHeader.jsonContentType)
            var read = try DEPJSON.decode(Profile.self, from: response.body)
            #expect(read.profileUUID == defined.profileUUID)
            #expect(read.devices == nil)
            read.profileUUID = nil
            profile.devices = nil
            #expect(read == profile)
            // Apple's documented `is_` names are what is written back (dep-api §11.1).
            #expect(response.text.contains(#""is_supervised":true"#))
        }
    }

    @Test func gettingAProfileNeedsItsUUID() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            for path in ["/profile", "/profile?profile_uuid="] {
                #expect(try await linked.session.call("GET", path).answer == PlainAnswer(400, "PROFILE_UUID_REQUIRED"))
            }
        }
    }

    @Test func anUnknownOrAnotherServersProfileIsNotFound() async throws {
        try await TestServer.with { server in
            let alpha = try await server.linkServer("Alpha MDM")
            let bravo = try await server.linkServer("Bravo MDM")
            let alphas = try await alpha.session.defineProfile(Self.minimal).profileUUID
            for uuid in [alphas, "00000000000000000000000000000000"] {
                let response = try await bravo.session.call("GET", "/profile?profile_uuid=\(uuid)")
                #expect(response.status == 404)
                #expect(response.text == "NOT_FOUND")
            }
            #expect(try await alpha.session.call("GET", "/profile?profile_uuid=\(alphas)").status == 200)
        }
    }

    // MARK: Assign

    @Test(arguments: ["PUT", "POST"])
    func assigningMarksTheDevicesAndSyncReportsIt(method: String) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 3)
            let cursor = try await linked.session.exhaustedCursor()
            let uuid = try await linked.session.defineProfile(Self.minimal).profileUUID
            server.clock.advance(by: 60)

            let targets = Array(linked.serials.prefix(2))
            let body = try DEPJSON.encodeString(
                ProfileServiceRequest(profileUUID: uuid, devices: targets + [TestServer.unknownSerial]))
            let response = try await linked.session.call(method, "/profile/devices", json: body)
            #expect(response.status == 200)
            let answer = try DEPJSON.decode(AssignProfileResponse.self, from: response.body)
            #expect(answer.profileUUID == uuid)
            #expect(
                answer.devices
                    == DeviceResults<DeviceResultStatus>([
                        (targets[0], .success), (targets[1], .success), (TestServer.unknownSerial, .notAccessible),
                    ]))
            #expect(answer.retryAfterSeconds == nil)

            let events = try await linked.session.syncPage(cursor: cursor).devices ?? []
            #expect(events.map(\.serialNumber) == targets)
            for event in events {
                #expect(event.opType == .modified)
                #expect(event.opDate == server.clock.now)
                #expect(event.profileStatus == .assigned)
                #expect(event.profileUUID == uuid)
                #expect(event.profileAssignTime == server.clock.now)
                #expect(event.deviceAssignedDate == TestServer.start)
            }
            #expect(try await linked.session.device(linked.serials[2]).profileStatus == .empty)
        }
    }

    @Test func assigningAnotherProfileReplacesTheFirst() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            let first = try await linked.session.defineProfile(Self.minimal).profileUUID
            let second = try await linked.session.defineProfile(Self.minimal).profileUUID
            for uuid in [first, second] {
                let body = try DEPJSON.encodeString(ProfileServiceRequest(profileUUID: uuid, devices: linked.serials))
                #expect(try await linked.session.call("PUT", "/profile/devices", json: body).status == 200)
            }
            #expect(try await linked.session.device(linked.serials[0]).profileUUID == second)
        }
    }

    @Test func anAssignmentMissingSomethingIsRefused() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            let uuid = try await linked.session.defineProfile(Self.minimal).profileUUID
            let serial = linked.serials[0]
            let cases: [(body: String, answer: PlainAnswer)] = [
                (#"{"devices":["\#(serial)"]}"#, PlainAnswer(400, "PROFILE_UUID_REQUIRED")),
                (#"{"profile_uuid":"","devices":["\#(serial)"]}"#, PlainAnswer(400, "PROFILE_UUID_REQUIRED")),
                (#"{"profile_uuid":"\#(uuid)"}"#, PlainAnswer(400, "DEVICE_ID_REQUIRED")),
                (#"{"profile_uuid":"\#(uuid)","devices":[]}"#, PlainAnswer(400, "DEVICE_ID_REQUIRED")),
                (
                    #"{"profile_uuid":"00000000000000000000000000000000","devices":["\#(serial)"]}"#,
                    PlainAnswer(404, "NOT_FOUND")
                ),
                (
                    try DEPJSON.encodeString(
                        ProfileServiceRequest(profileUUID: uuid, devices: (0...1000).map { "SERIAL\($0)" })),
                    PlainAnswer(400, "MALFORMED_REQUEST_BODY")
                ),
            ]
            for (body, answer) in cases {
                for method in ["PUT", "POST"] {
                    let response = try await linked.session.call(method, "/profile/devices", json: body)
                    #expect(response.answer == answer, "\(method) \(body.prefix(80))")
                }
            }
            // Nothing was assigned by the refusals.
            #expect(try await linked.session.device(serial).profileStatus == .empty)
        }
    }

    @Test func aThousandSerialsAreAccepted() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            let uuid = try await linked.session.defineProfile(Self.minimal).profileUUID
            let serials = linked.serials + (1..<1000).map { "SERIAL\($0)" }
            let answer = try await linked.session.decode(
                AssignProfileResponse.self, "POST", "/profile/devices",
                json: try DEPJSON.encodeString(ProfileServiceRequest(profileUUID: uuid, devices: serials)))
            #expect(answer.devices.count == 1000)
            #expect(answer.devices[linked.serials[0]] == .success)
        }
    }

    @Test func anotherServersProfileCannotBeAssigned() async throws {
        try await TestServer.with { server in
            let alpha = try await server.linkServer("Alpha MDM")
            let bravo = try await server.linkServer("Bravo MDM", devices: 1)
            let alphas = try await alpha.session.defineProfile(Self.minimal).profileUUID
            let body = try DEPJSON.encodeString(ProfileServiceRequest(profileUUID: alphas, devices: bravo.serials))
            #expect(
                try await bravo.session.call("PUT", "/profile/devices", json: body).answer
                    == PlainAnswer(404, "NOT_FOUND"))
        }
    }

    // MARK: Remove

    @Test func removingKeepsTheUUIDAndSyncReportsIt() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 2)
            let uuid = try await linked.session.defineProfile(
                try Self.minimal(devices: linked.serials)
            ).profileUUID
            let assignedAt = server.clock.now
            let cursor = try await linked.session.exhaustedCursor()
            server.clock.advance(by: 60)

            let body = try DEPJSON.encodeString(
                ClearProfileRequest(devices: [linked.serials[0], TestServer.unknownSerial], profileUUID: uuid))
            let response = try await linked.session.call("DELETE", "/profile/devices", json: body)
            #expect(response.status == 200)
            let answer = try DEPJSON.decode(ClearProfileResponse.self, from: response.body)
            #expect(
                answer.devices
                    == DeviceResults<DeviceResultStatus>([
                        (linked.serials[0], .success), (TestServer.unknownSerial, .notAccessible),
                    ]))

            let device = try await linked.session.device(linked.serials[0])
            #expect(device.profileStatus == .removed)
            #expect(device.profileUUID == uuid)
            #expect(device.profileAssignTime == assignedAt)
            #expect(try await linked.session.device(linked.serials[1]).profileStatus == .assigned)

            let events = try await linked.session.syncPage(cursor: cursor).devices ?? []
            #expect(events.map(\.serialNumber) == [linked.serials[0]])
            #expect(events.first?.opType == .modified)
            #expect(events.first?.profileStatus == .removed)
            #expect(events.first?.profileUUID == uuid)
            #expect(events.first?.opDate == server.clock.now)
        }
    }

    @Test func removingWithoutAProfileUUIDRemovesWhateverIsAssigned() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            _ = try await linked.session.defineProfile(
                try Self.minimal(devices: linked.serials))
            let body = try DEPJSON.encodeString(ClearProfileRequest(devices: linked.serials))
            #expect(try await linked.session.call("DELETE", "/profile/devices", json: body).status == 200)
            #expect(try await linked.session.device(linked.serials[0]).profileStatus == .removed)
        }
    }

    @Test func removingNeedsDevices() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            for body in ["{}", #"{"devices":[]}"#, #"{"profile_uuid":"ABC"}"#] {
                let response = try await linked.session.call("DELETE", "/profile/devices", json: body)
                #expect(response.answer == PlainAnswer(400, "DEVICE_ID_REQUIRED"), "\(body)")
            }
        }
    }

    @Test func aProfileAssignedThenRemovedThenAssignedShowsEachStepInSync() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            let serial = linked.serials[0]
            let cursor = try await linked.session.exhaustedCursor()
            let uuid = try await linked.session.defineProfile(Self.minimal).profileUUID
            let assign = try DEPJSON.encodeString(ProfileServiceRequest(profileUUID: uuid, devices: [serial]))
            let remove = try DEPJSON.encodeString(ClearProfileRequest(devices: [serial]))
            for (method, body) in [("PUT", assign), ("DELETE", remove), ("POST", assign)] {
                server.clock.advance(by: 10)
                #expect(try await linked.session.call(method, "/profile/devices", json: body).status == 200)
            }
            let events = try await linked.session.syncPage(cursor: cursor).devices ?? []
            #expect(events.map(\.profileStatus) == [.assigned, .removed, .assigned])
            #expect(events.allSatisfy { $0.serialNumber == serial && $0.opType == .modified })
            #expect(events.map(\.opDate) == [10, 20, 30].map { Optional(TestServer.start.addingTimeInterval($0)) })
        }
    }

    // MARK: Helpers

    /// The smallest profile Apple accepts.
    static let minimal = #"{"profile_name":"Minimal","url":"https://mdm.example/enroll"}"#

    /// The smallest profile, assigned at once to `devices`.
    static func minimal(devices: [String]) throws -> String {
        var profile = Profile(profileName: "Minimal", url: "https://mdm.example/enroll")
        profile.devices = devices
        return try DEPJSON.encodeString(profile)
    }

    /// A self-signed P-256 certificate (`CN=mdm.acme.example`) as base64 DER, for `anchor_certs`.
    static let anchorCertificate =
        "MIIBizCCATGgAwIBAgIUM9O0nlHT16HZY9SG92a5U03/q6MwCgYIKoZIzj0EAwIwGzEZMBcGA1UEAwwQbWRtLmFjbWUuZXhh"
        + "bXBsZTAeFw0yNjExMjcwNTA0MDlaFw0zNjExMjQwNTA0MDlaMBsxGTAXBgNVBAMMEG1kbS5hY21lLmV4YW1wbGUwWTATBgcq"
        + "hkjOPQIBBggqhkjOPQMBBwNCAASQ1LlsWcjrdN5lJVOezAVHg8bVgLBvwg/hh2eAoknotlp6T+B1SCV53Yit3zXXis+QW9GN"
        + "LixWejWQG2/gpmmlo1MwUTAdBgNVHQ4EFgQUbGxTSyo5fWU+wTjhT5Czct3Qe0UwHwYDVR0jBBgwFoAUbGxTSyo5fWU+wTjh"
        + "T5Czct3Qe0UwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBcordKFywVwEA5ULp9zNZo8C9PfpkGw0zEasf9"
        + "xeHzFQIhAJWBEqVpG+BaWXcFydakCbrJYhfLGNCQZrsKlOLszfPb"

    /// A profile with every key of dep-api §5.1.
    static let full = """
        {"profile_name":"Acme corporate Macs","url":"https://mdm.acme.example/mdm/enroll",
        "configuration_web_url":"https://mdm.acme.example/ade/login","allow_pairing":true,"is_supervised":true,
        "is_multi_user":false,"is_mandatory":true,"is_mdm_removable":false,"await_device_configured":true,
        "auto_advance_setup":false,"is_return_to_service":false,"do_not_use_profile_from_backup":false,
        "support_phone_number":"+1 555 0100","support_email_address":"it@acme.example","org_magic":"8F1C2D3E-ACME-IT",
        "department":"IT","language":"en","region":"US","anchor_certs":["\(anchorCertificate)"],"supervising_host_certs":[],
        "skip_setup_items":["AppleID","Location","Privacy","Siri","TOS","FileVault"]}
        """

    static func json(_ strings: [String: String], _ flags: [String: Bool]) throws -> String {
        var object: [String: Any] = strings
        for (key, value) in flags { object[key] = value }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self)
    }
}
