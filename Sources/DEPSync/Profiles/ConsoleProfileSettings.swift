import DEPCrypto
public import DEPWire
public import Foundation

/// Whether a device enrolled with a profile belongs to one user (a console's "user affinity").
public enum UserAffinity: String, Codable, Sendable, CaseIterable {
    /// Setup Assistant asks the user to authenticate; the device is then that user's and the
    /// company portal serves it.
    case prompt
    /// No user: kiosk, point of sale, shared devices. The company portal refuses them.
    case noAffinity = "none"
}

/// The enrollment-profile settings an administrator fills in a console wizard, as a JSON file,
/// and how they map onto Apple's profile (dep-api §5.1).
///
/// ```json
/// { "name": "Corporate iPhones", "description": "Staff phones", "mdm_url": "https://…/enroll",
///   "user_affinity": "prompt", "department": "IT", "support_phone": "+1 555 0100",
///   "supervised": true, "lock_profile_to_device": true,
///   "skip_panes": ["Location Services", "Siri"], "require_certificate": "supervising-host.pem" }
/// ```
///
/// Mapping: `name` → `profile_name`; `mdm_url` → `url`; `department`, `support_phone`
/// (`support_phone_number`), `support_email` (`support_email_address`), `org_magic` as named;
/// `supervised` → `is_supervised`; `lock_profile_to_device` → `is_mdm_removable` negated (a lock
/// needs supervision, else Apple answers `FLAGS_INVALID`); `skip_panes` → `skip_setup_items`
/// through `paneKeys`; `require_certificate` (a PEM or DER file, relative to the settings file)
/// → its DER, base64, as the one `supervising_host_certs` entry (peers §6). `description` and
/// `user_affinity` have no Apple key: they are kept in the agent's store only.
public struct ConsoleProfileSettings: Codable, Sendable, Hashable {
    public var name: String
    /// Shown to administrators only; never sent to Apple.
    public var description: String?
    /// The MDM enrollment URL (Apple's `url`).
    public var mdmURL: String
    /// `prompt` or `none`; `prompt` when absent (what consoles preselect).
    public var userAffinity: String?
    public var department: String?
    public var supportPhone: String?
    public var supportEmail: String?
    public var orgMagic: String?
    /// Preparation mode; supervised when absent (every ADE device is, since iOS 13).
    public var supervised: Bool?
    /// "Lock enrollment profile to device": the user cannot remove the MDM profile.
    public var lockProfileToDevice: Bool?
    /// Console pane names (`paneKeys`), case-insensitive.
    public var skipPanes: [String]?
    /// A certificate file (PEM or DER) of the host allowed to pair: "require certificate".
    public var requireCertificate: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description
        case mdmURL = "mdm_url"
        case userAffinity = "user_affinity"
        case department
        case supportPhone = "support_phone"
        case supportEmail = "support_email"
        case orgMagic = "org_magic"
        case supervised
        case lockProfileToDevice = "lock_profile_to_device"
        case skipPanes = "skip_panes"
        case requireCertificate = "require_certificate"
    }

    /// Setup Assistant panes as consoles name them, and Apple's SkipKeys for them (dep-api §5.4).
    public static let paneKeys: KeyValuePairs<String, String> = [
        "Passcode": "Passcode",
        "Location Services": "Location",
        "Restore": "Restore",
        "Apple ID": "AppleID",
        "Terms and Conditions": "TOS",
        "Siri": "Siri",
        "Diagnostics": "Diagnostics",
        "Touch ID and Face ID": "Biometric",
        "Apple Pay": "Payment",
        "Privacy": "Privacy",
        "Screen Time": "ScreenTime",
        "Software Update": "SoftwareUpdate",
        "SIM Setup": "SIMSetup",
        "iMessage and FaceTime": "iMessageAndFaceTime",
        "Appearance": "Appearance",
        "Keyboard": "Keyboard",
        "Welcome": "Welcome",
        "Watch Migration": "WatchMigration",
        "Device to Device Migration": "DeviceToDeviceMigration",
        "Android Migration": "Android",
        "Emergency SOS": "Safety",
        "App Store": "AppStore",
        "Apple Intelligence": "Intelligence",
        "Terms of Address": "TermsOfAddress",
        "FileVault": "FileVault",
        "iCloud Diagnostics": "iCloudDiagnostics",
        "iCloud Storage": "iCloudStorage",
        "Accessibility": "Accessibility",
        "Lockdown Mode": "EnableLockdownMode",
    ]

    /// Whether `data` is a console settings file rather than Apple's profile JSON: an object
    /// with `name` and without `profile_name`.
    public static func isConsoleSettings(_ data: Data) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return object["name"] != nil && object["profile_name"] == nil
    }

    /// The settings in `data`; keys this format does not know are refused (a typo would
    /// otherwise silently drop a setting).
    public static func read(_ data: Data, path: String) throws -> ConsoleProfileSettings {
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            let known = Set(CodingKeys.allCases.map(\.rawValue))
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw AgentError.profileUnreadable(
                    path: path,
                    reason: "unknown console setting \"\(unknown)\"; known settings: "
                        + CodingKeys.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        do {
            return try DEPJSON.decode(ConsoleProfileSettings.self, from: data)
        } catch {
            throw AgentError.profileUnreadable(path: path, reason: "\(error)")
        }
    }

    /// The user affinity these settings choose.
    public func affinity(path: String) throws -> UserAffinity {
        guard let value = userAffinity else { return .prompt }
        guard let affinity = UserAffinity(rawValue: value.lowercased()) else {
            throw AgentError.profileUnreadable(
                path: path, reason: "user_affinity \"\(value)\" is neither \"prompt\" nor \"none\"")
        }
        return affinity
    }

    /// Apple's profile for these settings. `path` (the settings file) names the file in refusals
    /// and is where a relative `require_certificate` is found from.
    ///
    /// User affinity has no Apple key; it shapes Setup Assistant: `prompt` →
    /// `await_device_configured: true` (the device waits in Setup Assistant while the user
    /// authenticates and the MDM binds it to them, then sends `DeviceConfigured`); `none` →
    /// `await_device_configured: false` (nobody to wait for). `is_multi_user` stays false for
    /// both: Shared iPad is a mode of its own, not "no affinity".
    public func profile(path: String) throws -> Profile {
        let affinity = try affinity(path: path)
        let isSupervised = supervised ?? true
        if lockProfileToDevice == true, !isSupervised {
            throw AgentError.profileInvalid(
                code: DEPErrorCode.flagsInvalid.rawValue,
                reason:
                    "lock_profile_to_device requires supervised: true (a profile can be locked only on a supervised device)"
            )
        }
        var profile = Profile(profileName: name, url: mdmURL)
        profile.isSupervised = isSupervised
        profile.isMDMRemovable = !(lockProfileToDevice ?? false)
        profile.isMultiUser = false
        profile.awaitDeviceConfigured = affinity == .prompt
        profile.department = department
        profile.supportPhoneNumber = supportPhone
        profile.supportEmailAddress = supportEmail
        profile.orgMagic = orgMagic
        profile.skipSetupItems = try skipPanes.map { try Self.skipKeys(for: $0, path: path) }
        if let requireCertificate {
            profile.supervisingHostCerts = [try Self.certificate(requireCertificate, settingsPath: path)]
        }
        return profile
    }

    /// Apple's SkipKeys for console pane names, in the order given, each once.
    static func skipKeys(for panes: [String], path: String) throws -> [String] {
        var keys: [String] = []
        for pane in panes {
            guard let key = paneKeys.first(where: { $0.key.lowercased() == pane.lowercased() })?.value else {
                throw AgentError.profileUnreadable(
                    path: path,
                    reason: "skip_panes has an unknown pane \"\(pane)\"; valid panes: "
                        + paneKeys.map(\.key).joined(separator: ", "))
            }
            if !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    /// The base64 DER of the certificate file at `file` (relative to the settings file's folder).
    static func certificate(_ file: String, settingsPath: String) throws -> String {
        let folder = URL(fileURLWithPath: settingsPath).deletingLastPathComponent()
        let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : folder.appendingPathComponent(file)
        do {
            let certificate = try Certificate(bytes: try Data(contentsOf: url))
            return try certificate.der.base64EncodedString()
        } catch {
            throw AgentError.profileUnreadable(
                path: settingsPath,
                reason: "require_certificate \(url.path) is not a readable PEM or DER certificate: \(error)")
        }
    }
}

/// A profile to define and what the agent keeps about it that Apple's profile cannot hold.
public struct ProfileToDefine: Sendable, Hashable {
    public var profile: Profile
    /// `nil` for Apple's profile JSON, which says nothing about users.
    public var userAffinity: UserAffinity?
    /// The console's description, kept locally.
    public var description: String?

    public init(profile: Profile, userAffinity: UserAffinity? = nil, description: String? = nil) {
        self.profile = profile
        self.userAffinity = userAffinity
        self.description = description
    }
}

extension ProfileDefinition {
    /// The profile in `data`, either Apple's profile JSON or a console settings file
    /// (`ConsoleProfileSettings`), mapped and checked with the service's rules.
    public static func readFile(_ data: Data, path: String, strictness: Profile.Strictness = .lenient) throws
        -> ProfileToDefine
    {
        guard ConsoleProfileSettings.isConsoleSettings(data) else {
            return ProfileToDefine(profile: try read(data, path: path, strictness: strictness))
        }
        let settings = try ConsoleProfileSettings.read(data, path: path)
        let profile = try settings.profile(path: path)
        try check(profile, strictness: strictness)
        return ProfileToDefine(
            profile: profile, userAffinity: try settings.affinity(path: path), description: settings.description)
    }
}
