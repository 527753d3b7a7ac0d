#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// What a device tells its MDM about itself when it asks for the enrollment profile at the
/// end of Setup Assistant (dep-api §7.4): a property list the device signs with its identity
/// and POSTs to the profile's `url`, or sends base64 in `x-apple-aspen-deviceinfo` to the
/// `configuration_web_url`. Keys as Apple spells them (device-management `machineinfo.yaml`).
public struct MachineInfo: Codable, Hashable, Sendable {
    public var udid: String
    public var serial: String
    /// The product type, e.g. `iPhone18,3`.
    public var product: String
    /// The OS build, e.g. `23B85`.
    public var version: String
    /// The OS version, e.g. `26.1`.
    public var osVersion: String
    public var imei: String?
    public var meid: String?
    /// The language the user picked in Setup Assistant, e.g. `en`.
    public var language: String?
    /// Whether the MDM may make the device update its software before enrolling.
    public var mdmCanRequestSoftwareUpdate: Bool?
    /// The model identifier for software-update lookups, e.g. `D47AP`.
    public var softwareUpdateDeviceID: String?

    public init(
        udid: String, serial: String, product: String, version: String, osVersion: String, imei: String? = nil,
        meid: String? = nil, language: String? = nil, mdmCanRequestSoftwareUpdate: Bool? = nil,
        softwareUpdateDeviceID: String? = nil
    ) {
        self.udid = udid
        self.serial = serial
        self.product = product
        self.version = version
        self.osVersion = osVersion
        self.imei = imei
        self.meid = meid
        self.language = language
        self.mdmCanRequestSoftwareUpdate = mdmCanRequestSoftwareUpdate
        self.softwareUpdateDeviceID = softwareUpdateDeviceID
    }

    /// Alphabetical: the order the property list is written in.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case imei = "IMEI"
        case language = "LANGUAGE"
        case mdmCanRequestSoftwareUpdate = "MDM_CAN_REQUEST_SOFTWARE_UPDATE"
        case meid = "MEID"
        case osVersion = "OS_VERSION"
        case product = "PRODUCT"
        case serial = "SERIAL"
        case softwareUpdateDeviceID = "SOFTWARE_UPDATE_DEVICE_ID"
        case udid = "UDID"
        case version = "VERSION"
    }

    /// The XML property list the device signs (dep-api §7.4), keys in alphabetical order.
    public var propertyList: String {
        let entries: [(CodingKeys, PropertyListValue?)] = [
            (.imei, imei.map(PropertyListValue.string)),
            (.language, language.map(PropertyListValue.string)),
            (.mdmCanRequestSoftwareUpdate, mdmCanRequestSoftwareUpdate.map(PropertyListValue.bool)),
            (.meid, meid.map(PropertyListValue.string)),
            (.osVersion, .string(osVersion)),
            (.product, .string(product)),
            (.serial, .string(serial)),
            (.softwareUpdateDeviceID, softwareUpdateDeviceID.map(PropertyListValue.string)),
            (.udid, .string(udid)),
            (.version, .string(version)),
        ]
        return XMLPropertyList.dictionary(entries.compactMap { key, value in value.map { (key.rawValue, $0) } })
    }

    /// Reads a MachineInfo property list (XML or binary), as an MDM does once it has checked
    /// the signature. Throws `DecodingError` when a required key is missing.
    public init(propertyList data: Data) throws {
        self = try PropertyListDecoder().decode(Self.self, from: data)
    }
}
