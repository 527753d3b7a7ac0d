/// An enrollment profile (dep-api §5.1): the body of `POST /profile` and, with `profile_uuid`,
/// the answer of `GET /profile`.
///
/// Properties are declared in the order they are written. Reading accepts the boolean keys with
/// or without their `is_` prefix (one client's fixtures drop it, dep-api §11.1); writing always
/// uses Apple's documented `is_` names.
public struct Profile: Codable, Hashable, Sendable {
    /// Only in `GET /profile` answers.
    public var profileUUID: String?
    public var profileName: String?
    public var url: String?
    public var configurationWebURL: String?
    public var allowPairing: Bool?
    public var isSupervised: Bool?
    /// v2+.
    public var isMultiUser: Bool?
    public var isMandatory: Bool?
    public var isMDMRemovable: Bool?
    /// v2+.
    public var awaitDeviceConfigured: Bool?
    /// v2+.
    public var autoAdvanceSetup: Bool?
    public var isReturnToService: Bool?
    public var doNotUseProfileFromBackup: Bool?
    public var supportPhoneNumber: String?
    /// v2+.
    public var supportEmailAddress: String?
    public var orgMagic: String?
    public var department: String?
    public var language: String?
    public var region: String?
    /// Base64 DER certificates trusted for the `url` connection.
    public var anchorCerts: [String]?
    /// Base64 DER certificates of hosts allowed to pair.
    public var supervisingHostCerts: [String]?
    public var skipSetupItems: [String]?
    /// Serials to assign at once (define only).
    public var devices: [String]?

    enum CodingKeys: String, CodingKey {
        case profileUUID = "profile_uuid"
        case profileName = "profile_name"
        case url
        case configurationWebURL = "configuration_web_url"
        case allowPairing = "allow_pairing"
        case isSupervised = "is_supervised"
        case isMultiUser = "is_multi_user"
        case isMandatory = "is_mandatory"
        case isMDMRemovable = "is_mdm_removable"
        case awaitDeviceConfigured = "await_device_configured"
        case autoAdvanceSetup = "auto_advance_setup"
        case isReturnToService = "is_return_to_service"
        case doNotUseProfileFromBackup = "do_not_use_profile_from_backup"
        case supportPhoneNumber = "support_phone_number"
        case supportEmailAddress = "support_email_address"
        case orgMagic = "org_magic"
        case department
        case language
        case region
        case anchorCerts = "anchor_certs"
        case supervisingHostCerts = "supervising_host_certs"
        case skipSetupItems = "skip_setup_items"
        case devices
    }

    /// The boolean keys as one client spells them, without `is_`.
    private enum UnprefixedKeys: String, CodingKey {
        case supervised, multiUser = "multi_user", mandatory, mdmRemovable = "mdm_removable"
        case returnToService = "return_to_service"
    }

    /// Creates a profile; `profile_name` and `url` are what Apple requires.
    public init(profileName: String?, url: String?) {
        self.profileName = profileName
        self.url = url
    }

    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: CodingKeys.self)
        let unprefixed = try decoder.container(keyedBy: UnprefixedKeys.self)
        func flag(_ key: CodingKeys, or alias: UnprefixedKeys) throws -> Bool? {
            try keyed.decodeIfPresent(Bool.self, forKey: key) ?? unprefixed.decodeIfPresent(Bool.self, forKey: alias)
        }
        profileUUID = try keyed.decodeIfPresent(String.self, forKey: .profileUUID)
        profileName = try keyed.decodeIfPresent(String.self, forKey: .profileName)
        url = try keyed.decodeIfPresent(String.self, forKey: .url)
        configurationWebURL = try keyed.decodeIfPresent(String.self, forKey: .configurationWebURL)
        allowPairing = try keyed.decodeIfPresent(Bool.self, forKey: .allowPairing)
        isSupervised = try flag(.isSupervised, or: .supervised)
        isMultiUser = try flag(.isMultiUser, or: .multiUser)
        isMandatory = try flag(.isMandatory, or: .mandatory)
        isMDMRemovable = try flag(.isMDMRemovable, or: .mdmRemovable)
        awaitDeviceConfigured = try keyed.decodeIfPresent(Bool.self, forKey: .awaitDeviceConfigured)
        autoAdvanceSetup = try keyed.decodeIfPresent(Bool.self, forKey: .autoAdvanceSetup)
        isReturnToService = try flag(.isReturnToService, or: .returnToService)
        doNotUseProfileFromBackup = try keyed.decodeIfPresent(Bool.self, forKey: .doNotUseProfileFromBackup)
        supportPhoneNumber = try keyed.decodeIfPresent(String.self, forKey: .supportPhoneNumber)
        supportEmailAddress = try keyed.decodeIfPresent(String.self, forKey: .supportEmailAddress)
        orgMagic = try keyed.decodeIfPresent(String.self, forKey: .orgMagic)
        department = try keyed.decodeIfPresent(String.self, forKey: .department)
        language = try keyed.decodeIfPresent(String.self, forKey: .language)
        region = try keyed.decodeIfPresent(String.self, forKey: .region)
        anchorCerts = try keyed.decodeIfPresent([String].self, forKey: .anchorCerts)
        supervisingHostCerts = try keyed.decodeIfPresent([String].self, forKey: .supervisingHostCerts)
        skipSetupItems = try keyed.decodeIfPresent([String].self, forKey: .skipSetupItems)
        devices = try keyed.decodeIfPresent([String].self, forKey: .devices)
    }
}
