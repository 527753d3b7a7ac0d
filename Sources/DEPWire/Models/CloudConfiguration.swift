#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The cloud configuration ("activation record") a device receives at Setup Assistant: its DEP
/// profile as the device stores it, with Apple's keys (dep-api §7.2).
///
/// Built from a `Profile` and the organisation's portal record. A key is present only when the
/// profile (or the organisation) sets it. Both encodings write the keys in alphabetical order,
/// as Apple's property-list writer does.
public struct CloudConfiguration: Codable, Hashable, Sendable {
    /// The organisation's portal record, as the cloud configuration quotes it.
    public struct Organization: Hashable, Sendable {
        public var name: String?
        public var address: String?
        public var email: String?
        public var phone: String?

        public init(name: String? = nil, address: String? = nil, email: String? = nil, phone: String? = nil) {
            self.name = name
            self.address = address
            self.email = email
            self.phone = phone
        }
    }

    /// A certificate of `anchor_certs` or `supervising_host_certs` that is not base64.
    public struct InvalidCertificate: Error, Hashable, Sendable, CustomStringConvertible {
        /// The profile key holding it.
        public var key: String
        /// Its position in that list.
        public var index: Int

        public init(key: String, index: Int) {
            self.key = key
            self.index = index
        }

        public var description: String { "\(key)[\(index)] is not base64-encoded DER" }
    }

    public var allowPairing: Bool?
    /// DER certificates, the only trust anchors for the `ConfigurationURL` connection (§7.4).
    public var anchorCertificates: [Data]?
    public var awaitDeviceConfigured: Bool?
    public var configurationURL: String?
    public var configurationWebURL: String?
    public var isMandatory: Bool?
    /// The inverse of the profile's `is_mdm_removable`.
    public var isMDMUnremovable: Bool?
    public var isMultiUser: Bool?
    public var isSupervised: Bool?
    public var organizationAddress: String?
    public var organizationDepartment: String?
    public var organizationEmail: String?
    public var organizationMagic: String?
    public var organizationName: String?
    public var organizationPhone: String?
    /// From `support_email_address`; the key name is inferred (§7.2 lists none for it).
    public var organizationSupportEmail: String?
    public var organizationSupportPhone: String?
    public var skipSetup: [String]?
    /// DER certificates of hosts allowed to pair with a supervised device.
    public var supervisorHostCertificates: [Data]?

    /// Alphabetical: the order both encodings write.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case allowPairing = "AllowPairing"
        case anchorCertificates = "AnchorCertificates"
        case awaitDeviceConfigured = "AwaitDeviceConfigured"
        case configurationURL = "ConfigurationURL"
        case configurationWebURL = "ConfigurationWebURL"
        case isMandatory = "IsMandatory"
        case isMDMUnremovable = "IsMDMUnremovable"
        case isMultiUser = "IsMultiUser"
        case isSupervised = "IsSupervised"
        case organizationAddress = "OrganizationAddress"
        case organizationDepartment = "OrganizationDepartment"
        case organizationEmail = "OrganizationEmail"
        case organizationMagic = "OrganizationMagic"
        case organizationName = "OrganizationName"
        case organizationPhone = "OrganizationPhone"
        case organizationSupportEmail = "OrganizationSupportEmail"
        case organizationSupportPhone = "OrganizationSupportPhone"
        case skipSetup = "SkipSetup"
        case supervisorHostCertificates = "SupervisorHostCertificates"
    }

    /// An empty configuration; set the keys one by one.
    public init() {}

    /// The configuration a device assigned `profile` receives (the mapping of dep-api §7.2);
    /// empty organisation fields are left out. Throws `InvalidCertificate` for a certificate
    /// that is not base64.
    public init(profile: Profile, organization: Organization) throws {
        configurationURL = profile.url
        configurationWebURL = profile.configurationWebURL
        allowPairing = profile.allowPairing
        isSupervised = profile.isSupervised
        isMandatory = profile.isMandatory
        isMDMUnremovable = profile.isMDMRemovable.map { !$0 }
        isMultiUser = profile.isMultiUser
        awaitDeviceConfigured = profile.awaitDeviceConfigured
        anchorCertificates = try profile.anchorCerts.map { try Self.certificates($0, key: "anchor_certs") }
        supervisorHostCertificates = try profile.supervisingHostCerts.map {
            try Self.certificates($0, key: "supervising_host_certs")
        }
        skipSetup = profile.skipSetupItems
        organizationMagic = profile.orgMagic
        organizationDepartment = profile.department
        organizationSupportPhone = profile.supportPhoneNumber
        organizationSupportEmail = profile.supportEmailAddress
        organizationName = Self.nonEmpty(organization.name)
        organizationAddress = Self.nonEmpty(organization.address)
        organizationEmail = Self.nonEmpty(organization.email)
        organizationPhone = Self.nonEmpty(organization.phone)
    }

    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: CodingKeys.self)
        // A property list carries certificates as data, JSON as base64 text.
        func certificates(_ key: CodingKeys) throws -> [Data]? {
            if let data = try? keyed.decodeIfPresent([Data].self, forKey: key) { return data }
            return try keyed.decodeIfPresent([String].self, forKey: key).map {
                try Self.certificates($0, key: key.rawValue)
            }
        }
        allowPairing = try keyed.decodeIfPresent(Bool.self, forKey: .allowPairing)
        anchorCertificates = try certificates(.anchorCertificates)
        awaitDeviceConfigured = try keyed.decodeIfPresent(Bool.self, forKey: .awaitDeviceConfigured)
        configurationURL = try keyed.decodeIfPresent(String.self, forKey: .configurationURL)
        configurationWebURL = try keyed.decodeIfPresent(String.self, forKey: .configurationWebURL)
        isMandatory = try keyed.decodeIfPresent(Bool.self, forKey: .isMandatory)
        isMDMUnremovable = try keyed.decodeIfPresent(Bool.self, forKey: .isMDMUnremovable)
        isMultiUser = try keyed.decodeIfPresent(Bool.self, forKey: .isMultiUser)
        isSupervised = try keyed.decodeIfPresent(Bool.self, forKey: .isSupervised)
        organizationAddress = try keyed.decodeIfPresent(String.self, forKey: .organizationAddress)
        organizationDepartment = try keyed.decodeIfPresent(String.self, forKey: .organizationDepartment)
        organizationEmail = try keyed.decodeIfPresent(String.self, forKey: .organizationEmail)
        organizationMagic = try keyed.decodeIfPresent(String.self, forKey: .organizationMagic)
        organizationName = try keyed.decodeIfPresent(String.self, forKey: .organizationName)
        organizationPhone = try keyed.decodeIfPresent(String.self, forKey: .organizationPhone)
        organizationSupportEmail = try keyed.decodeIfPresent(String.self, forKey: .organizationSupportEmail)
        organizationSupportPhone = try keyed.decodeIfPresent(String.self, forKey: .organizationSupportPhone)
        skipSetup = try keyed.decodeIfPresent([String].self, forKey: .skipSetup)
        supervisorHostCertificates = try certificates(.supervisorHostCertificates)
    }

    /// JSON writes certificates as base64 strings; every other value as itself.
    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: CodingKeys.self)
        for (key, value) in entries {
            switch value {
            case .string(let text): try keyed.encode(text, forKey: key)
            case .bool(let flag): try keyed.encode(flag, forKey: key)
            case .strings(let texts): try keyed.encode(texts, forKey: key)
            case .data(let list): try keyed.encode(list.map { $0.base64EncodedString() }, forKey: key)
            }
        }
    }

    /// The keys that are set, in `CodingKeys` order, with their values.
    var entries: [(CodingKeys, PropertyListValue)] {
        CodingKeys.allCases.compactMap { key in
            let value: PropertyListValue? =
                switch key {
                case .allowPairing: allowPairing.map(PropertyListValue.bool)
                case .anchorCertificates: anchorCertificates.map(PropertyListValue.data)
                case .awaitDeviceConfigured: awaitDeviceConfigured.map(PropertyListValue.bool)
                case .configurationURL: configurationURL.map(PropertyListValue.string)
                case .configurationWebURL: configurationWebURL.map(PropertyListValue.string)
                case .isMandatory: isMandatory.map(PropertyListValue.bool)
                case .isMDMUnremovable: isMDMUnremovable.map(PropertyListValue.bool)
                case .isMultiUser: isMultiUser.map(PropertyListValue.bool)
                case .isSupervised: isSupervised.map(PropertyListValue.bool)
                case .organizationAddress: organizationAddress.map(PropertyListValue.string)
                case .organizationDepartment: organizationDepartment.map(PropertyListValue.string)
                case .organizationEmail: organizationEmail.map(PropertyListValue.string)
                case .organizationMagic: organizationMagic.map(PropertyListValue.string)
                case .organizationName: organizationName.map(PropertyListValue.string)
                case .organizationPhone: organizationPhone.map(PropertyListValue.string)
                case .organizationSupportEmail: organizationSupportEmail.map(PropertyListValue.string)
                case .organizationSupportPhone: organizationSupportPhone.map(PropertyListValue.string)
                case .skipSetup: skipSetup.map(PropertyListValue.strings)
                case .supervisorHostCertificates: supervisorHostCertificates.map(PropertyListValue.data)
                }
            return value.map { (key, $0) }
        }
    }

    private static func certificates(_ texts: [String], key: String) throws -> [Data] {
        try texts.enumerated().map { index, text in
            // Line breaks and spaces are allowed (wrapped base64); anything else must be base64.
            let compact = String(text.unicodeScalars.filter { !" \t\r\n".unicodeScalars.contains($0) })
            guard let der = Data(base64Encoded: compact), !der.isEmpty else {
                throw InvalidCertificate(key: key, index: index)
            }
            return der
        }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
