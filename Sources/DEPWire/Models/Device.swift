#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A device as the DEP API reports it (dep-api §3.10): fetch and sync entries, and (with
/// `response_status`) device-details values.
///
/// Every field but the serial number is optional: a sync `deleted` entry may carry only
/// `serial_number`, `op_type` and `op_date`, and a details entry for a serial the server cannot
/// see only `response_status`. Properties are declared in Apple's key order, which is the order
/// they are written.
public struct Device: Codable, Hashable, Sendable {
    public var serialNumber: String
    public var description: String?
    public var model: String?
    /// v2+; `iPadOS` only from v7.
    public var os: DeviceOS?
    /// v2+.
    public var deviceFamily: DeviceFamily?
    public var color: String?
    public var assetTag: String?
    public var profileUUID: String?
    public var profileAssignTime: Date?
    public var profilePushTime: Date?
    public var profileStatus: ProfileStatus?
    public var deviceAssignedBy: String?
    public var deviceAssignedDate: Date?
    /// v8+.
    public var mdmMigrationDeadline: Date?
    /// Sync only.
    public var opType: OperationType?
    /// Sync only; equals `deviceAssignedDate` for `added`.
    public var opDate: Date?
    /// v10+ from here on.
    public var eid: String?
    public var ethernetMACAddress: AddressList?
    public var wifiMACAddress: AddressList?
    public var bluetoothMACAddress: AddressList?
    public var imei: [String]?
    public var meid: [String]?
    public var isReplacementDevice: Bool?
    /// Sync `deleted` entries only.
    public var releasedByReplacement: Bool?
    /// Device-details responses only.
    public var responseStatus: DeviceResultStatus?

    enum CodingKeys: String, CodingKey {
        case serialNumber = "serial_number"
        case description
        case model
        case os
        case deviceFamily = "device_family"
        case color
        case assetTag = "asset_tag"
        case profileUUID = "profile_uuid"
        case profileAssignTime = "profile_assign_time"
        case profilePushTime = "profile_push_time"
        case profileStatus = "profile_status"
        case deviceAssignedBy = "device_assigned_by"
        case deviceAssignedDate = "device_assigned_date"
        case mdmMigrationDeadline = "mdm_migration_deadline"
        case opType = "op_type"
        case opDate = "op_date"
        case eid
        case ethernetMACAddress = "ethernet_mac_address"
        case wifiMACAddress = "wifi_mac_address"
        case bluetoothMACAddress = "bluetooth_mac_address"
        case imei
        case meid
        case isReplacementDevice = "is_replacement_device"
        case releasedByReplacement = "released_by_replacement"
        case responseStatus = "response_status"
    }

    /// Creates a device record; only the serial number is required.
    public init(
        serialNumber: String, description: String? = nil, model: String? = nil, os: DeviceOS? = nil,
        deviceFamily: DeviceFamily? = nil, color: String? = nil, assetTag: String? = nil,
        profileUUID: String? = nil, profileAssignTime: Date? = nil, profilePushTime: Date? = nil,
        profileStatus: ProfileStatus? = nil, deviceAssignedBy: String? = nil, deviceAssignedDate: Date? = nil,
        mdmMigrationDeadline: Date? = nil, opType: OperationType? = nil, opDate: Date? = nil,
        eid: String? = nil, ethernetMACAddress: AddressList? = nil, wifiMACAddress: AddressList? = nil,
        bluetoothMACAddress: AddressList? = nil, imei: [String]? = nil, meid: [String]? = nil,
        isReplacementDevice: Bool? = nil, releasedByReplacement: Bool? = nil,
        responseStatus: DeviceResultStatus? = nil
    ) {
        self.serialNumber = serialNumber
        self.description = description
        self.model = model
        self.os = os
        self.deviceFamily = deviceFamily
        self.color = color
        self.assetTag = assetTag
        self.profileUUID = profileUUID
        self.profileAssignTime = profileAssignTime
        self.profilePushTime = profilePushTime
        self.profileStatus = profileStatus
        self.deviceAssignedBy = deviceAssignedBy
        self.deviceAssignedDate = deviceAssignedDate
        self.mdmMigrationDeadline = mdmMigrationDeadline
        self.opType = opType
        self.opDate = opDate
        self.eid = eid
        self.ethernetMACAddress = ethernetMACAddress
        self.wifiMACAddress = wifiMACAddress
        self.bluetoothMACAddress = bluetoothMACAddress
        self.imei = imei
        self.meid = meid
        self.isReplacementDevice = isReplacementDevice
        self.releasedByReplacement = releasedByReplacement
        self.responseStatus = responseStatus
    }
}
