import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `POST /portal/devices/{serial}/replace`: an AppleCare replacement, as the MDM sees it through
/// sync, fetch, device details and replacement details (dep-api §3.3, §3.12, §9, v10).
struct DeviceReplacementTests {
    @Test func theNewDeviceTakesTheOldOnesPlaceOnItsServer() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Replacing MDM", devices: 2, family: "iPhone")
            let old = linked.serials[0]
            let cursor = try await linked.session.exhaustedCursor()
            server.clock.advance(by: 60)

            let replacement = try await server.replace(old, with: "rplc00000001")
            #expect(replacement.serialNumber == "RPLC00000001" && replacement.originalSerialNumber == old)
            #expect(replacement.replacementDate == server.clock.now && replacement.server == "Replacing MDM")

            let events = try await linked.session.syncPage(cursor: cursor).devices ?? []
            #expect(events.map(\.serialNumber) == [old, "RPLC00000001"])
            #expect(events.map(\.opType) == [.deleted, .added])
            #expect(events[0].releasedByReplacement == true)
            #expect(events[1].isReplacementDevice == true)
            #expect(events[1].deviceAssignedDate == server.clock.now)

            let fetched = try await linked.session.fetchAll().pages.flatMap { $0.devices ?? [] }
            #expect(Set(fetched.map(\.serialNumber)) == [linked.serials[1], "RPLC00000001"])
            #expect(fetched.first { $0.serialNumber == "RPLC00000001" }?.isReplacementDevice == true)
            #expect(fetched.first { $0.serialNumber == linked.serials[1] }?.isReplacementDevice == nil)

            let details = try await linked.session.decode(
                ReplacementDetails.self, "GET", "/device/replacementDetails?device=RPLC00000001")
            #expect(details.originalDeviceSerialNumber == old)
            #expect(DEPDate.formatDay(details.replacementDate) == DEPDate.formatDay(server.clock.now))
            let raw = try await linked.session.call("GET", "/device/replacementDetails?device=RPLC00000001")
            #expect(raw.text.contains(#""replacement_date":"\#(DEPDate.formatDay(server.clock.now))""#))
        }
    }

    @Test func beforeVersionTenAReplacementIsAPlainDeleteAndAdd() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Replacing MDM", devices: 1, version: 9)
            let old = linked.serials[0]
            let cursor = try await linked.session.exhaustedCursor()
            try await server.replace(old, with: "RPLC00000009")

            let sync = try await linked.session.sync(cursor: cursor)
            #expect(sync.status == 200)
            #expect(sync.text.contains(#""op_type":"deleted""#) && sync.text.contains(#""op_type":"added""#))
            #expect(!sync.text.contains("released_by_replacement") && !sync.text.contains("is_replacement_device"))
            let details = try await linked.session.call("GET", "/device/replacementDetails?device=RPLC00000009")
            #expect(details.answer == PlainAnswer(404, "NOT_FOUND"))
        }
    }

    @Test func theNewDeviceIsTheSameProductWithIdentifiersOfItsOwn() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Replacing MDM", devices: 1, family: "iPhone")
            let old = linked.serials[0]
            let before = try await linked.session.device(old)
            try await server.replace(old, with: "RPLC00000002")

            let new = try await linked.session.device("RPLC00000002")
            #expect(new.model == before.model && new.description == before.description)
            #expect(new.color == before.color && new.os == before.os && new.deviceFamily == before.deviceFamily)
            #expect(new.profileStatus == .empty)
            let oldIMEIs = try #require(before.imei)
            let newIMEIs = try #require(new.imei)
            #expect(newIMEIs.count == oldIMEIs.count)
            for (newIMEI, oldIMEI) in zip(newIMEIs, oldIMEIs) {
                #expect(newIMEI != oldIMEI)
                // The same model: the same type allocation code; a valid Luhn check digit.
                #expect(newIMEI.prefix(9) == oldIMEI.prefix(9))
                #expect(Self.isLuhnValid(newIMEI))
            }
            #expect(new.wifiMACAddress != before.wifiMACAddress)
            #expect(new.wifiMACAddress?.addresses.first?.prefix(8) == before.wifiMACAddress?.addresses.first?.prefix(8))

            let oldRecord = try await server.inventoryRecord(old)
            let newRecord = try await server.inventoryRecord("RPLC00000002")
            #expect(oldRecord.status == "released" && oldRecord.server == nil)
            #expect(newRecord.status == "assigned" && newRecord.server == "Replacing MDM")
            #expect(newRecord.orderNumber == oldRecord.orderNumber && newRecord.partNumber == oldRecord.partNumber)
        }
    }

    @Test func identifiersGivenAreTheNewDevicesOwn() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Replacing MDM", devices: 1, family: "iPhone")
            _ = try await server.portalValue(
                DeviceReplacement.self, "POST", "/devices/\(linked.serials[0])/replace",
                json: #"{"serial":"RPLC00000003","imei":["35 123456 000001 1"],"wifi_mac_address":"F0:18:98:00:00:01"}"#
            )
            let new = try await linked.session.device("RPLC00000003")
            #expect(new.imei == ["35 123456 000001 1"])
            #expect(new.wifiMACAddress == "F0:18:98:00:00:01")
        }
    }

    @Test func aDeviceOnNoServerIsReplacedInTheOrganisationAlone() async throws {
        try await TestServer.with { server in
            let old = try await server.freeSerials(1)[0]
            let replacement = try await server.replace(old, with: "RPLC00000004")
            #expect(replacement.server == nil)
            #expect(try await server.inventoryRecord(old).status == "released")
            #expect(try await server.inventoryRecord("RPLC00000004").status == "unassigned")
        }
    }

    @Test func theSerialOfAReleasedDeviceCanComeBackAsAReplacement() async throws {
        try await TestServer.with { server in
            let serials = try await server.freeSerials(2)
            _ = try await server.portalValue(
                PortalReport.self, "POST", "/devices/release", json: #"{"serials":["\#(serials[0])"]}"#)
            try await server.replace(serials[1], with: serials[0])
            #expect(try await server.inventoryRecord(serials[0]).status == "unassigned")
            #expect(try await server.inventoryRecord(serials[1]).status == "released")
        }
    }

    @Test func refusalsLeaveTheStoreAsItWas() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Replacing MDM", devices: 2)
            let (old, other) = (linked.serials[0], linked.serials[1])
            try await server.replace(other, with: "RPLC00000005")
            let state = try await server.storeState()

            let refusals: [(path: String, json: String, status: Int, error: String)] = [
                ("/devices/\(TestServer.unknownSerial)/replace", #"{"serial":"RPLC00000006"}"#, 404, "NOT_FOUND"),
                ("/devices/\(old)/replace", #"{"serial":"RPLC00000005"}"#, 409, "DUPLICATE_SERIAL"),
                ("/devices/\(old)/replace", #"{"serial":"\#(old)"}"#, 409, "DUPLICATE_SERIAL"),
                ("/devices/\(other)/replace", #"{"serial":"RPLC00000006"}"#, 400, "ALREADY_RELEASED"),
                ("/devices/\(old)/replace", #"{"serial":"RPLC\u001B0000007"}"#, 400, "INVALID_REQUEST"),
                ("/devices/\(old)/replace", #"{"serial":"RPLC\u00000000007"}"#, 400, "INVALID_REQUEST"),
                ("/devices/\(old)/replace", #"{"serial":"R-1"}"#, 400, "INVALID_SERIAL"),
                ("/devices/\(old)/replace", #"{"serial":"RPLC00000007","imei":["35\u0000"]}"#, 400, "INVALID_REQUEST"),
                ("/devices/\(old)/replace", #"{"serial":"RPLC00000007","imei":["35,36"]}"#, 400, "INVALID_REQUEST"),
                ("/devices/\(old)/replace", #"{}"#, 400, "INVALID_REQUEST"),
                ("/devices/\(old)%00/replace", #"{"serial":"RPLC00000007"}"#, 400, "INVALID_REQUEST"),
            ]
            for refusal in refusals {
                let problem = try await server.portalProblem("POST", refusal.path, json: refusal.json)
                #expect(
                    problem.status == refusal.status && problem.error == refusal.error, "\(refusal.json): \(problem)")
            }
            #expect(try await server.storeState() == state)
        }
    }

    /// Whether the digits of `imei` end in a valid Luhn check digit.
    static func isLuhnValid(_ imei: String) -> Bool {
        let digits = imei.compactMap(\.wholeNumberValue)
        let sum = digits.reversed().enumerated().reduce(0) { sum, pair in
            let doubled = pair.offset % 2 == 1 ? pair.element * 2 : pair.element
            return sum + (doubled > 9 ? doubled - 9 : doubled)
        }
        return digits.count == 15 && sum % 10 == 0
    }
}

extension TestServer {
    /// Replaces `old` with a new device through the portal.
    @discardableResult
    func replace(_ old: String, with new: String) async throws -> DeviceReplacement {
        try await portalValue(
            DeviceReplacement.self, "POST", "/devices/\(PortalPath.escape(old))/replace",
            json: #"{"serial":\#(try DEPJSON.encodeString(new))}"#)
    }
}
