import DEPWire
import Foundation
import Testing

/// The page writer writes what `FetchDeviceResponse` encodes with each device shaped, byte for
/// byte, at every protocol version.
struct DevicePageWriterTests {
    /// A stored device: text as stored (lists comma-separated), times in seconds.
    struct Stored {
        var serial = "C02XL0AAJGH5"
        var description: String? = "IPAD PRO 11\" WI-FI 256GB"
        var model: String? = "iPad Pro"
        var os: String? = "iPadOS"
        var family: String? = "iPad"
        var color: String? = "SPACE GRAY"
        var assetTag: String? = "Tag \"7\" \\ a/b\tc\nd\r\u{1}\u{1F} é 🍏"
        var profileUUID: String? = "0123456789ABCDEF0123456789ABCDEF"
        var profileAssignTime: Int64? = 1_780_000_100
        var profilePushTime: Int64? = 1_780_000_200
        var profileStatus: ProfileStatus? = .pushed
        var assignedBy: String? = "admin@acme.example"
        var assignedDate: Int64? = 1_780_000_000
        var migrationDeadline: Int64? = 1_790_000_000
        var opType: OperationType? = .modified
        var opDate: Int64? = 1_780_000_300
        var eid: String? = "89049032000000000000000000000001"
        var ethernetMAC: String? = "AA:BB:CC:00:11:22"
        var wifiMAC: String? = "AA:BB:CC:00:11:23,AA:BB:CC:00:11:24"
        var bluetoothMAC: String? = ","
        var imei: String? = "356789012345678,356789012345679"
        var meid: String? = "35678901234567"
        var isReplacementDevice: Bool? = true
        var releasedByReplacement: Bool? = false

        /// The `Device` the store's reader made of it before the page writer.
        var device: Device {
            func split(_ joined: String) -> [String] {
                guard joined.contains(",") else { return [joined] }
                return joined.utf8.split(separator: UInt8(ascii: ",")).map { String(decoding: $0, as: UTF8.self) }
            }
            let date = { (seconds: Int64?) in seconds.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
            return Device(
                serialNumber: serial, description: description, model: model, os: os.map(DeviceOS.init),
                deviceFamily: family.map(DeviceFamily.init), color: color, assetTag: assetTag,
                profileUUID: profileUUID, profileAssignTime: date(profileAssignTime),
                profilePushTime: date(profilePushTime), profileStatus: profileStatus, deviceAssignedBy: assignedBy,
                deviceAssignedDate: date(assignedDate), mdmMigrationDeadline: date(migrationDeadline), opType: opType,
                opDate: date(opDate), eid: eid, ethernetMACAddress: ethernetMAC.map { AddressList(split($0)) },
                wifiMACAddress: wifiMAC.map { AddressList(split($0)) },
                bluetoothMACAddress: bluetoothMAC.map { AddressList(split($0)) }, imei: imei.map(split),
                meid: meid.map(split), isReplacementDevice: isReplacementDevice,
                releasedByReplacement: releasedByReplacement)
        }

        /// Writes it to `page` from borrowed UTF-8, as the server does from SQLite's columns.
        func write(to page: inout DevicePageWriter) {
            let texts = [
                serial, description, model, os, family, color, assetTag, profileUUID, assignedBy, eid, ethernetMAC,
                wifiMAC, bluetoothMAC, imei, meid,
            ]
            var storage: [UInt8] = []
            let ranges = texts.map { text in
                text.map { text in
                    let start = storage.count
                    storage += text.utf8
                    return start..<storage.count
                }
            }
            storage.withUnsafeBufferPointer { buffer in
                func text(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
                    ranges[index].map { UnsafeBufferPointer(rebasing: buffer[$0]) }
                }
                var entry = DeviceColumns(serialNumber: text(0)!)
                entry.description = text(1)
                entry.model = text(2)
                entry.os = text(3)
                entry.deviceFamily = text(4)
                entry.color = text(5)
                entry.assetTag = text(6)
                entry.profileUUID = text(7)
                entry.profileAssignTime = profileAssignTime
                entry.profilePushTime = profilePushTime
                entry.profileStatus = profileStatus
                entry.deviceAssignedBy = text(8)
                entry.deviceAssignedDate = assignedDate
                entry.mdmMigrationDeadline = migrationDeadline
                entry.opType = opType
                entry.opDate = opDate
                entry.eid = text(9)
                entry.ethernetMACAddress = text(10)
                entry.wifiMACAddress = text(11)
                entry.bluetoothMACAddress = text(12)
                entry.imei = text(13)
                entry.meid = text(14)
                entry.isReplacementDevice = isReplacementDevice
                entry.releasedByReplacement = releasedByReplacement
                page.append(entry)
            }
        }
    }

    /// Devices with every field, with none, and with each kind of list and value in between.
    static let devices: [Stored] = {
        var bare = Stored()
        bare.description = nil
        bare.model = nil
        bare.os = nil
        bare.family = nil
        bare.color = nil
        bare.assetTag = nil
        bare.profileUUID = nil
        bare.profileAssignTime = nil
        bare.profilePushTime = nil
        bare.profileStatus = nil
        bare.assignedBy = nil
        bare.assignedDate = nil
        bare.migrationDeadline = nil
        bare.opType = nil
        bare.opDate = nil
        bare.eid = nil
        bare.ethernetMAC = nil
        bare.wifiMAC = nil
        bare.bluetoothMAC = nil
        bare.imei = nil
        bare.meid = nil
        bare.isReplacementDevice = nil
        bare.releasedByReplacement = nil
        var phone = Stored()
        phone.os = "iOS"
        phone.family = "iPhone"
        phone.ethernetMAC = "AA:BB:CC:00:11:22,"
        phone.wifiMAC = ""
        phone.imei = ""
        phone.meid = ",,"
        phone.profileStatus = .empty
        phone.opType = .added
        phone.assignedDate = -62_135_596_800
        phone.opDate = 253_402_300_799
        var deleted = bare
        deleted.opType = .deleted
        deleted.opDate = 1_780_000_400
        deleted.releasedByReplacement = true
        var old = Stored()
        old.profileAssignTime = 0
        old.profilePushTime = -1
        old.migrationDeadline = 300_000_000_000
        old.opType = nil
        return [Stored(), bare, phone, deleted, old]
    }()

    @Test(arguments: 1...ProtocolVersion.newest.number)
    func writesWhatTheShapedResponseEncodesTo(version number: Int) throws {
        let version = ProtocolVersion(number)
        for count in [0, 1, Self.devices.count] {
            let devices = Array(Self.devices.prefix(count))
            for (moreToFollow, cursor) in [(true, "ZjoxOjA6MTc4MDAwMDAwMDowOjox"), (false, "a\"b")] {
                var page = DevicePageWriter(version: version, expectedDevices: devices.count)
                for device in devices { device.write(to: &page) }
                let written = page.finish(fetchedUntil: 1_780_000_500, moreToFollow: moreToFollow, cursor: cursor)
                let encoded = try DEPJSON.encodeBytes(
                    FetchDeviceResponse(
                        devices: devices.map { version.shaped($0.device) },
                        fetchedUntil: Date(timeIntervalSince1970: 1_780_000_500), moreToFollow: moreToFollow,
                        cursor: cursor))
                #expect(
                    String(decoding: written, as: UTF8.self) == String(decoding: encoded, as: UTF8.self),
                    "version \(number), \(count) devices")
            }
        }
    }
}
