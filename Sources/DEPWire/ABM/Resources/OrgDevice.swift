/// A device of the organisation as the ABM API shows it (`OrgDevice`, peers §5.4): the serial
/// number is its id.
public struct OrgDevice: Codable, Hashable, Sendable {
    /// The resource type, `orgDevices`.
    public static let resourceType = "orgDevices"

    public var type: String
    public var id: String
    public var attributes: Attributes?
    public var relationships: Relationships?
    public var links: SelfLinks?

    public init(id: String, attributes: Attributes?, relationships: Relationships? = nil, links: SelfLinks? = nil) {
        type = Self.resourceType
        self.id = id
        self.attributes = attributes
        self.relationships = relationships
        self.links = links
    }

    /// `assignedServer` (links to the linkage and to the server) and `appleCareCoverage`.
    public struct Relationships: Codable, Hashable, Sendable {
        public var assignedServer: Relationship?
        public var appleCareCoverage: Relationship?

        public init(assignedServer: Relationship?, appleCareCoverage: Relationship?) {
            self.assignedServer = assignedServer
            self.appleCareCoverage = appleCareCoverage
        }
    }
}

extension OrgDevice {
    /// What the API says of a device; any field may be left out (`fields[orgDevices]` picks them).
    public struct Attributes: Hashable, Sendable {
        public var serialNumber: String?
        public var addedToOrgDateTime: ABMDateTime?
        /// Absent (`nil`), `null` (`.some(nil)`: in the organisation) or the release time; the
        /// bulk list omits released devices, the single GET shows them with it (peers §5.4).
        public var releasedFromOrgDateTime: ABMDateTime??
        public var updatedDateTime: ABMDateTime?
        /// The marketing name, `MacBook Air (13-inch, M3)`.
        public var deviceModel: String?
        /// `iPhone`, `iPad`, `Mac`, `AppleTV`, `Watch` or `Vision`.
        public var productFamily: String?
        public var productType: String?
        public var deviceCapacity: String?
        public var partNumber: String?
        public var orderNumber: String?
        public var orderDateTime: ABMDateTime?
        public var color: String?
        /// `ASSIGNED` or `UNASSIGNED`.
        public var status: String?
        public var imei: [String]?
        public var meid: [String]?
        public var eid: String?
        public var wifiMacAddress: String?
        public var bluetoothMacAddress: String?
        public var ethernetMacAddress: [String]?
        /// Apple's customer number or the reseller's; Apple's list example spells it
        /// `purchaseSourceUid`, which is read too.
        public var purchaseSourceId: String?
        /// `APPLE`, `RESELLER` or `MANUALLY_ADDED`.
        public var purchaseSourceType: String?
        public var isMdmMigrationCapable: Bool?
        public var mdmMigrationStatus: String?
        public var mdmMigrationDeadlineDateTime: ABMDateTime?

        public init() {}
    }
}

extension OrgDevice.Attributes: Codable {
    /// The attribute names, in the order Apple's examples write them (peers §5.5).
    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case serialNumber, addedToOrgDateTime, releasedFromOrgDateTime, updatedDateTime, deviceModel
        case productFamily, productType, deviceCapacity, partNumber, orderNumber, orderDateTime, color, status
        case imei, meid, eid, wifiMacAddress, bluetoothMacAddress, ethernetMacAddress, purchaseSourceId
        case purchaseSourceType, isMdmMigrationCapable, mdmMigrationStatus, mdmMigrationDeadlineDateTime
        case purchaseSourceUid
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        serialNumber = try c.decodeIfPresent(String.self, forKey: .serialNumber)
        addedToOrgDateTime = try c.decodeIfPresent(ABMDateTime.self, forKey: .addedToOrgDateTime)
        if c.contains(.releasedFromOrgDateTime) {
            releasedFromOrgDateTime = .some(try c.decodeIfPresent(ABMDateTime.self, forKey: .releasedFromOrgDateTime))
        }
        updatedDateTime = try c.decodeIfPresent(ABMDateTime.self, forKey: .updatedDateTime)
        deviceModel = try c.decodeIfPresent(String.self, forKey: .deviceModel)
        productFamily = try c.decodeIfPresent(String.self, forKey: .productFamily)
        productType = try c.decodeIfPresent(String.self, forKey: .productType)
        deviceCapacity = try c.decodeIfPresent(String.self, forKey: .deviceCapacity)
        partNumber = try c.decodeIfPresent(String.self, forKey: .partNumber)
        orderNumber = try c.decodeIfPresent(String.self, forKey: .orderNumber)
        orderDateTime = try c.decodeIfPresent(ABMDateTime.self, forKey: .orderDateTime)
        color = try c.decodeIfPresent(String.self, forKey: .color)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        imei = try c.decodeStringList(forKey: .imei)
        meid = try c.decodeStringList(forKey: .meid)
        eid = try c.decodeIfPresent(String.self, forKey: .eid)
        wifiMacAddress = try c.decodeStringOrList(forKey: .wifiMacAddress)
        bluetoothMacAddress = try c.decodeStringOrList(forKey: .bluetoothMacAddress)
        ethernetMacAddress = try c.decodeStringList(forKey: .ethernetMacAddress)
        purchaseSourceId =
            try c.decodeIfPresent(String.self, forKey: .purchaseSourceId)
            ?? c.decodeIfPresent(String.self, forKey: .purchaseSourceUid)
        purchaseSourceType = try c.decodeIfPresent(String.self, forKey: .purchaseSourceType)
        isMdmMigrationCapable = try c.decodeIfPresent(Bool.self, forKey: .isMdmMigrationCapable)
        mdmMigrationStatus = try c.decodeIfPresent(String.self, forKey: .mdmMigrationStatus)
        mdmMigrationDeadlineDateTime = try c.decodeIfPresent(ABMDateTime.self, forKey: .mdmMigrationDeadlineDateTime)
    }

    /// Writes Apple's documented form: lists as arrays, `purchaseSourceId`, absent fields left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(serialNumber, forKey: .serialNumber)
        try c.encodeIfPresent(addedToOrgDateTime, forKey: .addedToOrgDateTime)
        switch releasedFromOrgDateTime {
        case .none: break
        case .some(.none): try c.encodeNil(forKey: .releasedFromOrgDateTime)
        case .some(.some(let date)): try c.encode(date, forKey: .releasedFromOrgDateTime)
        }
        try c.encodeIfPresent(updatedDateTime, forKey: .updatedDateTime)
        try c.encodeIfPresent(deviceModel, forKey: .deviceModel)
        try c.encodeIfPresent(productFamily, forKey: .productFamily)
        try c.encodeIfPresent(productType, forKey: .productType)
        try c.encodeIfPresent(deviceCapacity, forKey: .deviceCapacity)
        try c.encodeIfPresent(partNumber, forKey: .partNumber)
        try c.encodeIfPresent(orderNumber, forKey: .orderNumber)
        try c.encodeIfPresent(orderDateTime, forKey: .orderDateTime)
        try c.encodeIfPresent(color, forKey: .color)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encodeIfPresent(imei, forKey: .imei)
        try c.encodeIfPresent(meid, forKey: .meid)
        try c.encodeIfPresent(eid, forKey: .eid)
        try c.encodeIfPresent(wifiMacAddress, forKey: .wifiMacAddress)
        try c.encodeIfPresent(bluetoothMacAddress, forKey: .bluetoothMacAddress)
        try c.encodeIfPresent(ethernetMacAddress, forKey: .ethernetMacAddress)
        try c.encodeIfPresent(purchaseSourceId, forKey: .purchaseSourceId)
        try c.encodeIfPresent(purchaseSourceType, forKey: .purchaseSourceType)
        try c.encodeIfPresent(isMdmMigrationCapable, forKey: .isMdmMigrationCapable)
        try c.encodeIfPresent(mdmMigrationStatus, forKey: .mdmMigrationStatus)
        try c.encodeIfPresent(mdmMigrationDeadlineDateTime, forKey: .mdmMigrationDeadlineDateTime)
    }

    /// The attributes `fields[orgDevices]` may name.
    public static var fieldNames: Set<String> {
        Set(CodingKeys.allCases.filter { $0 != .purchaseSourceUid }.map(\.rawValue))
    }

    /// Only the attributes named in `fields`, the others left out.
    public func restricted(to fields: Set<String>) -> Self {
        var copy = Self()
        func keep<T>(_ key: CodingKeys, _ path: WritableKeyPath<Self, T?>) {
            if fields.contains(key.rawValue) { copy[keyPath: path] = self[keyPath: path] }
        }
        keep(.serialNumber, \.serialNumber)
        keep(.addedToOrgDateTime, \.addedToOrgDateTime)
        keep(.releasedFromOrgDateTime, \.releasedFromOrgDateTime)
        keep(.updatedDateTime, \.updatedDateTime)
        keep(.deviceModel, \.deviceModel)
        keep(.productFamily, \.productFamily)
        keep(.productType, \.productType)
        keep(.deviceCapacity, \.deviceCapacity)
        keep(.partNumber, \.partNumber)
        keep(.orderNumber, \.orderNumber)
        keep(.orderDateTime, \.orderDateTime)
        keep(.color, \.color)
        keep(.status, \.status)
        keep(.imei, \.imei)
        keep(.meid, \.meid)
        keep(.eid, \.eid)
        keep(.wifiMacAddress, \.wifiMacAddress)
        keep(.bluetoothMacAddress, \.bluetoothMacAddress)
        keep(.ethernetMacAddress, \.ethernetMacAddress)
        keep(.purchaseSourceId, \.purchaseSourceId)
        keep(.purchaseSourceType, \.purchaseSourceType)
        keep(.isMdmMigrationCapable, \.isMdmMigrationCapable)
        keep(.mdmMigrationStatus, \.mdmMigrationStatus)
        keep(.mdmMigrationDeadlineDateTime, \.mdmMigrationDeadlineDateTime)
        return copy
    }
}
