import DEPWire
import Foundation
import Testing

@testable import DEPSync

/// A page's event made by splicing the page's bytes is the event `DEPJSON.encode` writes.
@Suite struct DeviceResponseEventTests {
    private let createdAt = Date(timeIntervalSince1970: 1_746_350_000)

    private var devices: [Device] {
        [
            Device(
                serialNumber: "C02XK1ABCDEF", description: "Café \"HQ\" 😀 \\ / \n\t", model: "MacBook Pro 14\"",
                os: .macOS, deviceFamily: .mac, profileUUID: "P-1", profileAssignTime: createdAt,
                profileStatus: .pushed, opType: .modified, opDate: createdAt,
                wifiMACAddress: ["00:11:22:33:44:55", "66:77:88:99:AA:BB"], imei: ["3"]),
            Device(serialNumber: "DMPX2"),
        ]
    }

    @Test(arguments: [EventTopic.fetchDevices, .syncDevices])
    func theSplicedEventIsTheEncodedEventByteForByte(topic: EventTopic) throws {
        let page = FetchDeviceResponse(devices: devices, fetchedUntil: createdAt, moreToFollow: true, cursor: "c/1")
        let bytes = try DEPJSON.encode(page)
        let received = try FetchDeviceResponse.readKeepingBytes(json: bytes, limit: 1000)
        let json = try #require(received.json)

        let spliced = DeviceResponseEvent.splicing(
            page: json, topic: topic, eventID: "e-1", createdAt: createdAt, depName: "Acme \"MDM\" ü")
        let encoded = try DEPJSON.encode(
            DeviceResponseEvent(
                topic: topic, eventID: "e-1", createdAt: createdAt, depName: "Acme \"MDM\" ü", page: received.page))
        #expect(spliced == encoded)
    }

    @Test func aPageWithWhitespaceAndUnknownKeysIsHandedOnAsReceived() throws {
        let bytes = Data(
            """
            { "devices" : [ {"serial_number": "A", "future_field": {"x": [1, null]}} ],
              "fetched_until": "2025-05-04T09:12:00Z", "more_to_follow": false, "cursor": "c1" }\n
            """.utf8)
        let json = try #require(try FetchDeviceResponse.readKeepingBytes(json: bytes, limit: 10).json)

        let spliced = DeviceResponseEvent.splicing(
            page: json, topic: .syncDevices, eventID: "e-2", createdAt: createdAt, depName: "Acme")
        let event = try #require(try JSONSerialization.jsonObject(with: spliced) as? NSDictionary)
        #expect(event["topic"] as? String == "dep.SyncDevices")
        #expect(event["event_id"] as? String == "e-2")
        #expect(event["created_at"] as? String == DEPDate.format(createdAt))
        let body = try #require(event["device_response_event"] as? NSDictionary)
        #expect(body["dep_name"] as? String == "Acme")
        #expect(
            body["device_response"] as? NSDictionary == (try JSONSerialization.jsonObject(with: bytes) as? NSDictionary)
        )
    }
}
