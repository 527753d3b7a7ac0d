import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `X-Server-Protocol-Version` shapes the answers (dep-api §2.7): each version has the fields
/// and values it introduced, and none of the later ones.
struct ProtocolVersionTests {
    @Test func versionOneDevicesHaveNoOSOrFamily() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 3, version: 1)
            let cursor = try await linked.session.exhaustedCursor()
            _ = try await server.world.assign(serials: try await server.freeSerials(1), to: linked.name)

            var entries = try Self.deviceObjects(try await linked.session.fetch())
            entries += try Self.deviceObjects(try await linked.session.sync(cursor: cursor))
            let details = try DEPSession.object(
                try await linked.session.call(
                    "POST", "/devices", json: try DEPJSON.encodeString(DeviceListRequest(devices: linked.serials))))
            entries += try #require(details["devices"] as? [String: [String: Any]]).values
            #expect(entries.count == 4 + 1 + 3)
            for entry in entries {
                #expect(entry["serial_number"] != nil && entry["model"] != nil)
                #expect(entry["os"] == nil && entry["device_family"] == nil)
                #expect(Set(entry.keys).isDisjoint(with: Self.versionTenKeys))
            }
            // From version 2 on, they have both.
            let two = try await DEPSession(server, linked.enrolled, version: 2)
            for entry in try Self.deviceObjects(try await two.fetch()) {
                #expect(entry["os"] != nil && entry["device_family"] != nil)
            }
        }
    }

    @Test func aMissingOrUnreadableVersionIsVersionOne() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            for value in [nil, "abc", "0", "-3", ""] as [String?] {
                var headers = [(DEPHeader.authSession, linked.session.token)]
                if let value { headers.append((DEPHeader.protocolVersion, value)) }
                let response = try await server.send("POST", "/server/devices", json: "{}", headers: headers)
                let entry = try #require(try Self.deviceObjects(response).first)
                #expect(entry["os"] == nil, "\(value ?? "absent")")
                let account = try DEPSession.object(
                    try await server.send("GET", "/account", headers: headers))
                #expect(account["org_id"] == nil, "\(value ?? "absent")")
            }
        }
    }

    @Test func aVersionAboveTheNewestActsAsTheNewest() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1, family: "iPhone", version: 99)
            let entry = try #require(try Self.deviceObjects(try await linked.session.fetch()).first)
            #expect(entry["imei"] != nil)
            #expect(entry["os"] as? String == "iOS")
        }
    }

    @Test(arguments: [(2, "iOS"), (6, "iOS"), (7, "iPadOS"), (10, "iPadOS")])
    func iPadsSayIPadOSFromVersionSeven(version: Int, os: String) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 2, family: "iPad", version: version)
            let cursor = try await linked.session.exhaustedCursor()
            let devices = try await linked.session.fetchPage().devices ?? []
            #expect(devices.count == 2)
            for device in devices {
                #expect(device.deviceFamily == .iPad)
                #expect(device.os?.rawValue == os)
            }
            #expect(try await linked.session.device(linked.serials[0]).os?.rawValue == os)
            _ = try await server.world.unassign(serials: [linked.serials[0]])
            _ = try await server.world.assign(serials: [linked.serials[0]], to: linked.name)
            let added = try await linked.session.syncPage(cursor: cursor).devices?.last
            #expect(added?.opType == .added)
            #expect(added?.os?.rawValue == os)
        }
    }

    @Test func versionTenHasTheIdentifiersTheModelHas() async throws {
        try await TestServer.with { server in
            let phone = try await server.freeSerial { $0.family == "iPhone" }
            let wifiPad = try await server.freeSerial { $0.family == "iPad" && !$0.description.contains("CELL") }
            let cellPad = try await server.freeSerial { $0.family == "iPad" && $0.description.contains("CELL") }
            let laptop = try await server.freeSerial { $0.model.hasPrefix("MacBook") }
            let desktop = try await server.freeSerial { ["Mac mini", "iMac 24\"", "Mac Studio"].contains($0.model) }
            let linked = try await server.linkServer()
            _ = try await server.world.assign(serials: [phone, wifiPad, cellPad, laptop, desktop], to: linked.name)

            let response = try await linked.session.fetch()
            let entries = try Self.deviceObjects(response)
            let bySerial = Dictionary(uniqueKeysWithValues: entries.map { ($0["serial_number"] as! String, $0) })
            let keys = { (serial: String) in Set(bySerial[serial]?.keys.filter(Self.versionTenKeys.contains) ?? []) }
            #expect(keys(phone) == ["imei", "eid", "wifi_mac_address", "bluetooth_mac_address"])
            #expect((bySerial[phone]?["imei"] as? [String])?.isEmpty == false)
            #expect(keys(wifiPad) == ["wifi_mac_address", "bluetooth_mac_address"])
            #expect(keys(cellPad) == ["imei", "eid", "wifi_mac_address", "bluetooth_mac_address"])
            #expect(keys(laptop) == ["wifi_mac_address", "bluetooth_mac_address"])
            #expect(keys(desktop) == ["wifi_mac_address", "bluetooth_mac_address", "ethernet_mac_address"])
            let decoded = try #require(
                try DEPJSON.decode(FetchDeviceResponse.self, from: response.body).devices?.first {
                    $0.serialNumber == phone
                })
            for address in decoded.wifiMACAddress?.addresses ?? [] {
                #expect(address.wholeMatch(of: /([0-9A-F]{2}:){5}[0-9A-F]{2}/) != nil, "\(address)")
            }

            // Version 9 has none of them.
            let nine = try await DEPSession(server, linked.enrolled, version: 9)
            for entry in try Self.deviceObjects(try await nine.fetch()) {
                #expect(Set(entry.keys).isDisjoint(with: Self.versionTenKeys))
            }
        }
    }

    @Test func theOrganisationDetailsOfTheAccountCameWithVersionThree() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(version: 2)
            let two = try DEPSession.object(try await linked.session.call("GET", "/account"))
            #expect(
                Set(two.keys) == [
                    "server_name", "server_uuid", "facilitator_id", "admin_id", "org_name", "org_email", "org_phone",
                    "org_address",
                ])
            let three = try await DEPSession(server, linked.enrolled, version: 3)
            let account = try DEPSession.object(try await three.call("GET", "/account"))
            #expect(Set(account.keys).isSuperset(of: ["org_id", "org_id_hash", "org_type", "org_version", "urls"]))
        }
    }

    @Test func versionOneProfilesHaveNoVersionTwoKeys() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(version: 1)
            let uuid = try await linked.session.defineProfile(ProfileTests.full).profileUUID
            let one = try DEPSession.object(try await linked.session.call("GET", "/profile?profile_uuid=\(uuid)"))
            for key in ["auto_advance_setup", "await_device_configured", "is_multi_user", "support_email_address"] {
                #expect(one[key] == nil, "\(key)")
            }
            #expect(one["profile_name"] as? String == "Acme corporate Macs")
            let two = try await DEPSession(server, linked.enrolled, version: 2)
            let read = try DEPSession.object(try await two.call("GET", "/profile?profile_uuid=\(uuid)"))
            #expect(read["await_device_configured"] as? Bool == true)
            #expect(read["support_email_address"] as? String == "it@acme.example")
        }
    }

    /// The keys only version 10 has.
    static let versionTenKeys: Set<String> = [
        "eid", "ethernet_mac_address", "wifi_mac_address", "bluetooth_mac_address", "imei", "meid",
        "is_replacement_device", "released_by_replacement",
    ]

    /// The device objects of a fetch or sync answer.
    static func deviceObjects(_ response: HTTPResponse) throws -> [[String: Any]] {
        try #require(try DEPSession.object(response)["devices"] as? [[String: Any]])
    }
}
