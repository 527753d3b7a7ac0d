#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Writes a fetch or sync page (dep-api §3.2, §3.3) straight into one byte buffer, entry by
/// entry from storage: the bytes `FetchDeviceResponse` encodes to with each device shaped by
/// the page's protocol version, without the structs, strings and dates in between.
///
/// Which keys a version has is decided once per page, by shaping a device that has every field
/// (`ProtocolVersion.shaped`, the one place that knows); keys are written in `Device`'s order.
///
/// Room for a whole entry is made before it is written (its bound follows from its text's
/// length), and the entry is then stored through a pointer, with no capacity check per value:
/// this is the server's busiest loop. The buffer is zero-filled ahead and cut to what was
/// written at the end, so the page is returned without a copy.
public struct DevicePageWriter {
    /// The page so far, then zeros: room already made.
    private var bytes: [UInt8]
    /// How many bytes of `bytes` are the page.
    private var count = 0
    private let shape: Shape
    private var hasDevice = false

    /// Starts a page for `version`, with room for about `expectedDevices` entries.
    public init(version: ProtocolVersion, expectedDevices: Int) {
        shape = Shape(version)
        bytes = [UInt8](repeating: 0, count: 64 + max(0, expectedDevices) * 1024)
        write(room: 16) { $0.raw(#"{"devices":["#) }
    }

    /// Appends one entry, its keys and values as `Device` encodes them after shaping.
    public mutating func append(_ device: DeviceColumns) {
        let (shape, isFirst) = (shape, !hasDevice)
        hasDevice = true
        write(room: Self.room(for: device)) { page in
            page.raw(isFirst ? #"{"serial_number":"# : #",{"serial_number":"#)
            page.string(device.serialNumber)
            page.text(#","description":"#, device.description)
            page.text(#","model":"#, device.model)
            if shape.hasOS, let os = device.os {
                page.raw(#","os":"#)
                if let iPadOSName = shape.iPadOSName, os.holds("iPadOS") {
                    page.raw(iPadOSName)
                } else {
                    page.string(os)
                }
            }
            if shape.hasFamily { page.text(#","device_family":"#, device.deviceFamily) }
            page.text(#","color":"#, device.color)
            page.text(#","asset_tag":"#, device.assetTag)
            page.text(#","profile_uuid":"#, device.profileUUID)
            page.date(#","profile_assign_time":"#, device.profileAssignTime)
            page.date(#","profile_push_time":"#, device.profilePushTime)
            if let status = device.profileStatus {
                switch status {
                case .empty: page.raw(#","profile_status":"empty""#)
                case .assigned: page.raw(#","profile_status":"assigned""#)
                case .pushed: page.raw(#","profile_status":"pushed""#)
                case .removed: page.raw(#","profile_status":"removed""#)
                }
            }
            page.text(#","device_assigned_by":"#, device.deviceAssignedBy)
            page.date(#","device_assigned_date":"#, device.deviceAssignedDate)
            if shape.hasMigrationDeadline { page.date(#","mdm_migration_deadline":"#, device.mdmMigrationDeadline) }
            if let type = device.opType {
                switch type {
                case .added: page.raw(#","op_type":"added""#)
                case .modified: page.raw(#","op_type":"modified""#)
                case .deleted: page.raw(#","op_type":"deleted""#)
                }
            }
            page.date(#","op_date":"#, device.opDate)
            if shape.hasEID { page.text(#","eid":"#, device.eid) }
            if shape.hasEthernetMAC { page.addresses(#","ethernet_mac_address":"#, device.ethernetMACAddress) }
            if shape.hasWiFiMAC { page.addresses(#","wifi_mac_address":"#, device.wifiMACAddress) }
            if shape.hasBluetoothMAC { page.addresses(#","bluetooth_mac_address":"#, device.bluetoothMACAddress) }
            if shape.hasIMEI { page.list(#","imei":"#, device.imei) }
            if shape.hasMEID { page.list(#","meid":"#, device.meid) }
            if shape.hasIsReplacementDevice { page.flag(#","is_replacement_device":"#, device.isReplacementDevice) }
            if shape.hasReleasedByReplacement {
                page.flag(#","released_by_replacement":"#, device.releasedByReplacement)
            }
            page.byte(UInt8(ascii: "}"))
        }
    }

    /// Ends the page with its other keys and returns the body; nothing more may be appended.
    /// (Mutating rather than consuming: a consumed copy would copy the buffer to cut it.)
    public mutating func finish(fetchedUntil: Int64, moreToFollow: Bool, cursor: String) -> [UInt8] {
        var cursor = cursor
        cursor.withUTF8 { cursor in
            write(room: 96 + JSONString.room(for: cursor.count)) { page in
                page.raw(#"],"fetched_until":""#)
                page.date(fetchedUntil)
                page.raw(moreToFollow ? #"","more_to_follow":true,"cursor":"# : #"","more_to_follow":false,"cursor":"#)
                page.string(cursor)
                page.byte(UInt8(ascii: "}"))
            }
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// Makes sure `room` bytes follow the page, then lets `body` write at most that many.
    private mutating func write(room: Int, _ body: (inout Cursor) -> Void) {
        if bytes.count - count < room {
            bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, room)))
        }
        let start = count
        count = bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = Cursor(start: buffer.baseAddress!, count: start)
            body(&cursor)
            return cursor.count
        }
    }

    /// The most bytes an entry can take: its keys, dates and punctuation (well under the
    /// constant), and each byte of its text escaped at worst.
    private static func room(for device: DeviceColumns) -> Int {
        func length(_ text: DeviceColumns.Text?) -> Int { text?.count ?? 0 }
        let text =
            device.serialNumber.count + length(device.description) + length(device.model) + length(device.os)
            + length(device.deviceFamily) + length(device.color) + length(device.assetTag)
            + length(device.profileUUID) + length(device.deviceAssignedBy) + length(device.eid)
            + length(device.ethernetMACAddress) + length(device.wifiMACAddress)
            + length(device.bluetoothMACAddress) + length(device.imei) + length(device.meid)
        return 1024 + JSONString.room(for: text)
    }

    /// Where the next byte of the page goes, in room already made: values as `Device` encodes them.
    private struct Cursor {
        let start: UnsafeMutablePointer<UInt8>
        var count: Int

        mutating func byte(_ byte: UInt8) {
            start[count] = byte
            count += 1
        }

        mutating func raw(_ text: StaticString) {
            (start + count).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
            count += text.utf8CodeUnitCount
        }

        mutating func raw(_ text: [UInt8]) {
            text.withUnsafeBufferPointer { (start + count).update(from: $0.baseAddress!, count: $0.count) }
            count += text.count
        }

        mutating func string(_ utf8: DeviceColumns.Text) {
            count += JSONString.write(utf8: utf8, into: start + count)
        }

        mutating func date(_ seconds: Int64) {
            DEPDate.write(unixSeconds: seconds, into: start + count)
            count += DEPDate.textLength
        }

        mutating func text(_ key: StaticString, _ value: DeviceColumns.Text?) {
            guard let value else { return }
            raw(key)
            string(value)
        }

        mutating func date(_ key: StaticString, _ seconds: Int64?) {
            guard let seconds else { return }
            raw(key)
            byte(UInt8(ascii: "\""))
            date(seconds)
            byte(UInt8(ascii: "\""))
        }

        mutating func flag(_ key: StaticString, _ value: Bool?) {
            guard let value else { return }
            raw(key)
            raw(value ? "true" : "false")
        }

        /// A stored list as `AddressList` encodes it: one address a string, any other count an
        /// array. Its items are the text between commas, empty ones left out.
        mutating func addresses(_ key: StaticString, _ joined: DeviceColumns.Text?) {
            guard let joined else { return }
            raw(key)
            guard joined.contains(UInt8(ascii: ",")) else { return string(joined) }
            var items = Items(joined)
            if let only = items.next(), items.next() == nil {
                string(only)
            } else {
                array(joined)
            }
        }

        /// A stored list as `[String]` encodes it: always an array.
        mutating func list(_ key: StaticString, _ joined: DeviceColumns.Text?) {
            guard let joined else { return }
            raw(key)
            array(joined)
        }

        private mutating func array(_ joined: DeviceColumns.Text) {
            byte(UInt8(ascii: "["))
            if joined.contains(UInt8(ascii: ",")) {
                var items = Items(joined)
                if let first = items.next() { string(first) }
                while let item = items.next() {
                    byte(UInt8(ascii: ","))
                    string(item)
                }
            } else {
                // A list without a comma is its one item, even an empty one.
                string(joined)
            }
            byte(UInt8(ascii: "]"))
        }
    }

    /// The non-empty runs between the commas of a stored list, without making an array of them.
    private struct Items: IteratorProtocol {
        private let joined: DeviceColumns.Text
        private var position = 0

        init(_ joined: DeviceColumns.Text) { self.joined = joined }

        mutating func next() -> DeviceColumns.Text? {
            while position < joined.count, joined[position] == UInt8(ascii: ",") { position += 1 }
            guard position < joined.count else { return nil }
            let start = position
            while position < joined.count, joined[position] != UInt8(ascii: ",") { position += 1 }
            return UnsafeBufferPointer(rebasing: joined[start..<position])
        }
    }

    /// The optional keys a version keeps, learnt from `ProtocolVersion.shaped`.
    private struct Shape {
        var hasOS: Bool
        /// What an iPad's `iPadOS` is written as (a quoted JSON string), when the version says
        /// something else.
        var iPadOSName: [UInt8]?
        var hasFamily: Bool
        var hasMigrationDeadline: Bool
        var hasEID: Bool
        var hasEthernetMAC: Bool
        var hasWiFiMAC: Bool
        var hasBluetoothMAC: Bool
        var hasIMEI: Bool
        var hasMEID: Bool
        var hasIsReplacementDevice: Bool
        var hasReleasedByReplacement: Bool

        init(_ version: ProtocolVersion) {
            let address: AddressList = "00:00:00:00:00:00"
            let probe = version.shaped(
                Device(
                    serialNumber: "", os: .iPadOS, deviceFamily: .iPad, mdmMigrationDeadline: Date(), eid: "",
                    ethernetMACAddress: address, wifiMACAddress: address, bluetoothMACAddress: address, imei: [],
                    meid: [], isReplacementDevice: true, releasedByReplacement: true))
            hasOS = probe.os != nil
            iPadOSName = probe.os.flatMap { $0 == .iPadOS ? nil : Array(JSONString.literal($0.rawValue).utf8) }
            hasFamily = probe.deviceFamily != nil
            hasMigrationDeadline = probe.mdmMigrationDeadline != nil
            hasEID = probe.eid != nil
            hasEthernetMAC = probe.ethernetMACAddress != nil
            hasWiFiMAC = probe.wifiMACAddress != nil
            hasBluetoothMAC = probe.bluetoothMACAddress != nil
            hasIMEI = probe.imei != nil
            hasMEID = probe.meid != nil
            hasIsReplacementDevice = probe.isReplacementDevice != nil
            hasReleasedByReplacement = probe.releasedByReplacement != nil
        }
    }
}
