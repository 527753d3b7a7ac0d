import DEPWire
import Foundation
import GRDB

/// The insert of one device into the page table, its values bound straight to SQLite.
///
/// Bound by `RowBinder`: GRDB's arguments cost most of a full fetch's store time. The values
/// are those of `DeviceColumns.apple`, in order, stored as GRDB would: text `storable`, times
/// as Unix seconds, lists comma-separated, flags as 0 or 1.
struct PageRowInsert {
    private let statement: Statement
    private let database: Database

    /// A cached insert into `table` of `DeviceColumns.apple`.
    init(_ db: Database, into table: String) throws {
        let columns = DeviceColumns.apple
        statement = try db.cachedStatement(
            sql: """
                INSERT INTO \(table) (\(columns.joined(separator: ", ")))
                VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
                """)
        database = db
    }

    /// Inserts `device`.
    func insert(_ device: Device) throws {
        var binder = RowBinder(statement)
        binder.text(device.serialNumber)
        binder.text(device.description)
        binder.text(device.model)
        binder.text(device.os?.rawValue)
        binder.text(device.deviceFamily?.rawValue)
        binder.text(device.color)
        binder.text(device.assetTag)
        binder.text(device.profileUUID)
        binder.time(device.profileAssignTime)
        binder.time(device.profilePushTime)
        binder.text(device.profileStatus?.rawValue)
        binder.text(device.deviceAssignedBy)
        binder.time(device.deviceAssignedDate)
        binder.time(device.mdmMigrationDeadline)
        binder.text(device.opType?.rawValue)
        binder.time(device.opDate)
        binder.text(device.eid)
        binder.list(device.ethernetMACAddress?.addresses)
        binder.list(device.wifiMACAddress?.addresses)
        binder.list(device.bluetoothMACAddress?.addresses)
        binder.list(device.imei)
        binder.list(device.meid)
        binder.flag(device.isReplacementDevice)
        binder.flag(device.releasedByReplacement)
        try binder.step(database)
    }
}

/// The agent's stored forms, as GRDB would write them.
extension RowBinder {
    /// A time as Unix seconds.
    fileprivate mutating func time(_ value: Date?) { real(value?.storeValue) }

    /// A list comma-separated.
    fileprivate mutating func list(_ values: [String]?) {
        guard let values, values.count != 1 else { return text(values?.first) }
        text(values.joined(separator: ","))
    }

    /// A flag as 0 or 1.
    fileprivate mutating func flag(_ value: Bool?) { integer(value.map { $0 ? 1 : 0 }) }
}
