import DEPWire
import Foundation
import GRDB
import Testing

@testable import DEPSync

/// A device written straight from its row is the device `DeviceColumns.localDevice` reads from
/// it, as `DEPJSON` encodes it, whatever the row holds.
@Suite struct StoredDeviceJSONTests {
    private let now = Date(timeIntervalSince1970: 1_746_350_000)

    private var devices: [Device] {
        [
            Device(
                serialNumber: "C02XK1ABCDEF", description: "Café \"HQ\" 😀 \\ / \n\t\u{1}", model: "MacBook Pro 14\"",
                os: .macOS, deviceFamily: .mac, color: "SPACE GRAY", assetTag: "A-1", profileUUID: "P-1",
                profileAssignTime: now, profilePushTime: now.addingTimeInterval(1.75), profileStatus: .pushed,
                deviceAssignedBy: "a@b.c", deviceAssignedDate: now, mdmMigrationDeadline: now, opType: .modified,
                opDate: now, eid: "E", ethernetMACAddress: "00:11:22:33:44:55",
                wifiMACAddress: ["00:11:22:33:44:55", "66:77:88:99:AA:BB"], bluetoothMACAddress: [],
                imei: ["1", "2", "3"], meid: [], isReplacementDevice: false, releasedByReplacement: true),
            Device(serialNumber: "DMPX2"),
            Device(serialNumber: "NUL", description: "before\0after", os: DeviceOS(rawValue: "visionOS"), imei: [""]),
            Device(serialNumber: "ODD"),
        ]
    }

    @Test func aRowWrittenDirectlyIsTheDeviceReadFromIt() async throws {
        let store = try LocalStore(path: ":memory:")
        _ = try await store.commitFetchPage(
            devices, cursor: "c1", generation: 1, complete: true, at: now, autoAssign: false)
        // Values only another writer could leave: unknown enumerations, a fractional time, a
        // list with empty items.
        try await store.write { db in
            try db.execute(
                sql: """
                    UPDATE devices SET profile_status = 'bogus', op_type = '', profile_assign_time = -1.5,
                        wifi_mac_address = ',a,,b,', bluetooth_mac_address = ',', meid = 'x', is_replacement_device = 7
                    WHERE serial = 'ODD'
                    """)
        }
        let pairs = try await store.read { db in
            let statement = try db.makeStatement(sql: "SELECT \(DeviceColumns.selection) FROM devices ORDER BY serial")
            let rows = try Row.fetchCursor(statement)
            var pairs: [(written: [UInt8], encoded: [UInt8])] = []
            while let row = try rows.next() {
                let stored = StoredDeviceJSON(statement: statement.sqliteStatement)
                let local = DeviceColumns.localDevice(row)
                var written: [UInt8] = []
                stored.write(to: &written, profileStatus: local.device.profileStatus)
                pairs.append((written, try DEPJSON.encodeBytes(local.device)))
                // The change of a device new to the store, written from the row or from its record.
                pairs.append(
                    (
                        WrittenChange(.added, isRemoved: local.removed != nil, after: stored).json,
                        try WrittenChange(DeviceChange(.added, before: nil, after: local)).json
                    ))
            }
            return pairs
        }
        #expect(pairs.count == 2 * devices.count)
        for (written, encoded) in pairs {
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: encoded, as: UTF8.self))
        }
    }
}
