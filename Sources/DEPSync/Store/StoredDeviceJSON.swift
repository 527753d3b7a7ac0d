import DEPWire
import Foundation
import GRDBSQLite

/// Writes the device of a `devices` row as JSON straight from the row SQLite is on: the bytes
/// `DEPJSON` writes of `DeviceColumns.localDevice(row).device`, without the strings, dates and
/// lists in between. A full fetch writes 100,000 devices into its events, and making each a
/// `Device` first cost as much again as writing it.
///
/// The row's first columns are `DeviceColumns.apple`, in order, as the store writes them: text,
/// times as Unix seconds, lists comma-separated, flags as integers. Each is read as GRDB reads
/// it for `localDevice` (text up to a NUL, a time rounded down to its second when written).
struct StoredDeviceJSON {
    /// A statement on a row whose first columns are `DeviceColumns.apple`.
    let statement: OpaquePointer

    /// The serial number (column 0), never NULL in `devices`.
    var serialNumber: UnsafeBufferPointer<UInt8> { text(0) ?? UnsafeBufferPointer(start: nil, count: 0) }

    /// The profile status as `Device` reads it: one of Apple's values, or none.
    var profileStatus: ProfileStatus? { text(10).flatMap(Self.matching) }

    /// The case whose raw value is `text`, compared byte for byte without making a `String`.
    private static func matching<Case: CaseIterable & RawRepresentable<String>>(
        _ text: UnsafeBufferPointer<UInt8>
    ) -> Case? {
        Case.allCases.first { $0.rawValue.utf8.elementsEqual(text) }
    }

    /// Appends the device, its keys in `Device`'s order, absent values left out; `profileStatus`
    /// is this row's (read once by the caller, which needs it too).
    func write(to bytes: inout [UInt8], profileStatus: ProfileStatus?) {
        raw(#"{"serial_number":"#, &bytes)
        DEPJSON.appendString(utf8: serialNumber, to: &bytes)
        text(1, #","description":"#, &bytes)
        text(2, #","model":"#, &bytes)
        text(3, #","os":"#, &bytes)
        text(4, #","device_family":"#, &bytes)
        text(5, #","color":"#, &bytes)
        text(6, #","asset_tag":"#, &bytes)
        text(7, #","profile_uuid":"#, &bytes)
        time(8, #","profile_assign_time":"#, &bytes)
        time(9, #","profile_push_time":"#, &bytes)
        if let status = profileStatus {
            raw(#","profile_status":"#, &bytes)
            DEPJSON.appendString(status.rawValue, to: &bytes)
        }
        text(11, #","device_assigned_by":"#, &bytes)
        time(12, #","device_assigned_date":"#, &bytes)
        time(13, #","mdm_migration_deadline":"#, &bytes)
        if let type: OperationType = text(14).flatMap(Self.matching) {
            raw(#","op_type":"#, &bytes)
            DEPJSON.appendString(type.rawValue, to: &bytes)
        }
        time(15, #","op_date":"#, &bytes)
        text(16, #","eid":"#, &bytes)
        addresses(17, #","ethernet_mac_address":"#, &bytes)
        addresses(18, #","wifi_mac_address":"#, &bytes)
        addresses(19, #","bluetooth_mac_address":"#, &bytes)
        list(20, #","imei":"#, &bytes)
        list(21, #","meid":"#, &bytes)
        flag(22, #","is_replacement_device":"#, &bytes)
        flag(23, #","released_by_replacement":"#, &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    /// A column's text as GRDB reads a `String`: up to its first NUL; nil for NULL.
    func text(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard sqlite3_column_type(statement, column) != SQLITE_NULL, let start = sqlite3_column_text(statement, column)
        else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        let end = memchr(start, 0, count).map { UnsafePointer<UInt8>(OpaquePointer($0)) - start } ?? count
        return UnsafeBufferPointer(start: start, count: end)
    }

    private func raw(_ text: StaticString, _ bytes: inout [UInt8]) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private func text(_ column: Int32, _ key: StaticString, _ bytes: inout [UInt8]) {
        guard let value = text(column) else { return }
        raw(key, &bytes)
        DEPJSON.appendString(utf8: value, to: &bytes)
    }

    private func time(_ column: Int32, _ key: StaticString, _ bytes: inout [UInt8]) {
        guard sqlite3_column_type(statement, column) != SQLITE_NULL else { return }
        raw(key, &bytes)
        bytes.append(UInt8(ascii: "\""))
        DEPDate.append(Date(timeIntervalSince1970: sqlite3_column_double(statement, column)), to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private func flag(_ column: Int32, _ key: StaticString, _ bytes: inout [UInt8]) {
        guard sqlite3_column_type(statement, column) != SQLITE_NULL else { return }
        raw(key, &bytes)
        raw(sqlite3_column_int64(statement, column) != 0 ? "true" : "false", &bytes)
    }

    /// A stored list's items, split at each comma (empty items dropped), as `localDevice` splits.
    private func items(_ column: Int32) -> [Slice<UnsafeBufferPointer<UInt8>>]? {
        text(column).map { $0.split(separator: UInt8(ascii: ",")) }
    }

    /// A list as `AddressList` encodes it: one address a string, any other count an array.
    private func addresses(_ column: Int32, _ key: StaticString, _ bytes: inout [UInt8]) {
        guard let items = items(column) else { return }
        raw(key, &bytes)
        if items.count == 1 {
            DEPJSON.appendString(utf8: UnsafeBufferPointer(rebasing: items[0]), to: &bytes)
        } else {
            array(items, &bytes)
        }
    }

    /// A list as `[String]` encodes it: always an array.
    private func list(_ column: Int32, _ key: StaticString, _ bytes: inout [UInt8]) {
        guard let items = items(column) else { return }
        raw(key, &bytes)
        array(items, &bytes)
    }

    private func array(_ items: [Slice<UnsafeBufferPointer<UInt8>>], _ bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            DEPJSON.appendString(utf8: UnsafeBufferPointer(rebasing: item), to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
