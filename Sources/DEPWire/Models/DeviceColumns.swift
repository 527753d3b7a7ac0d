/// One fetch or sync entry as storage holds it: text as borrowed UTF-8 (an SQLite row's
/// columns, valid until the row moves on), times as whole seconds since 1970, lists
/// comma-separated. `DevicePageWriter` writes it without making `String`s, `Date`s or a `Device`.
///
/// Each property is the `Device` property of the same name (dep-api §3.10).
public struct DeviceColumns {
    public typealias Text = UnsafeBufferPointer<UInt8>

    public var serialNumber: Text
    public var description: Text?
    public var model: Text?
    public var os: Text?
    public var deviceFamily: Text?
    public var color: Text?
    public var assetTag: Text?
    public var profileUUID: Text?
    public var profileAssignTime: Int64?
    public var profilePushTime: Int64?
    public var profileStatus: ProfileStatus?
    public var deviceAssignedBy: Text?
    public var deviceAssignedDate: Int64?
    public var mdmMigrationDeadline: Int64?
    public var opType: OperationType?
    public var opDate: Int64?
    public var eid: Text?
    /// Comma-separated; one address is written as a string, several as an array.
    public var ethernetMACAddress: Text?
    public var wifiMACAddress: Text?
    public var bluetoothMACAddress: Text?
    /// Comma-separated; always written as an array.
    public var imei: Text?
    public var meid: Text?
    public var isReplacementDevice: Bool?
    public var releasedByReplacement: Bool?

    /// An entry with only its serial number.
    public init(serialNumber: Text) {
        self.serialNumber = serialNumber
    }
}
