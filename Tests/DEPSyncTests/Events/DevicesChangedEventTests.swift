import DEPWire
import Foundation
import Testing

@testable import DEPSync

/// The hand-written JSON of a `depsync.DevicesChanged` event is what the `Encodable` conformance
/// encodes: byte for byte with `DEPJSON`, and the same document with Foundation's `JSONEncoder`.
@Suite struct DevicesChangedEventTests {
    private let now = Date(timeIntervalSince1970: 1_746_350_000)

    private func stored(_ device: Device, removed: Date? = nil) -> LocalDevice {
        LocalDevice(device: device, firstSeen: now, removed: removed, assignResult: nil)
    }

    private var event: DevicesChangedEvent {
        let full = Device(
            serialNumber: "C02XK1ABCDEF", description: "Café \"HQ\" 😀 \\ / \n\t", model: "MacBook Pro 14\"",
            os: .macOS, deviceFamily: .mac, color: "SPACE GRAY", assetTag: "A-1", profileUUID: "P-1",
            profileAssignTime: now, profilePushTime: now, profileStatus: .pushed, deviceAssignedBy: "a@b.c",
            deviceAssignedDate: now, mdmMigrationDeadline: now, opType: .modified, opDate: now, eid: "E",
            ethernetMACAddress: "00:11:22:33:44:55", wifiMACAddress: ["00:11:22:33:44:55", "66:77:88:99:AA:BB"],
            bluetoothMACAddress: [], imei: ["1", "2"], meid: [], isReplacementDevice: false,
            releasedByReplacement: true)
        var assigned = full
        assigned.profileStatus = .assigned
        assigned.description = nil
        let bare = Device(serialNumber: "DMPX2")
        return DevicesChangedEvent(
            eventID: "e-1", createdAt: now,
            body: .init(
                depName: "Acme \"MDM\" ü", source: "sync",
                devices: [
                    DeviceChange(.added, before: nil, after: stored(bare)),
                    DeviceChange(.modified, before: stored(assigned), after: stored(full)),
                    DeviceChange(.removed, before: stored(full), after: stored(full, removed: now)),
                ]))
    }

    @Test func theHandWrittenJSONIsTheEncodedJSONByteForByte() throws {
        #expect(try event.json() == DEPJSON.encode(event))
    }

    @Test func theHandWrittenJSONIsTheDocumentJSONEncoderWrites() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(DEPDate.format(date))
        }
        let expected = try JSONSerialization.jsonObject(with: encoder.encode(event)) as? NSDictionary
        let written = try JSONSerialization.jsonObject(with: event.json()) as? NSDictionary
        #expect(written != nil)
        #expect(written == expected)
        let changes = (written?["devices_changed_event"] as? NSDictionary)?["devices"] as? [NSDictionary]
        #expect(changes?.map { $0["change"] as? String } == ["added", "modified", "removed"])
        #expect(changes?[1]["changed_fields"] as? [String] == ["description", "profile_status"])
    }
}
