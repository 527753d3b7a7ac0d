import DEPCrypto
public import DEPWire
public import Foundation

/// Reads a profile file and checks it with the rules the service applies (dep-api §5.3), so a
/// profile Apple would refuse is refused here, before anything is sent.
public enum ProfileDefinition {
    /// The profile in `data` (Apple's profile JSON), checked.
    public static func read(_ data: Data, path: String, strictness: Profile.Strictness = .lenient) throws -> Profile {
        let profile: Profile
        do {
            profile = try DEPJSON.decode(Profile.self, from: data)
        } catch {
            throw AgentError.profileUnreadable(path: path, reason: "\(error)")
        }
        try check(profile, strictness: strictness)
        return profile
    }

    /// Refuses `profile` as the service would: the §5.3 checks, then its certificates.
    public static func check(_ profile: Profile, strictness: Profile.Strictness = .lenient) throws {
        if let code = profile.validationError(strictness)
            ?? profile.certificateError(
                isCertificate: Certificate.isBase64DER)
        {
            throw AgentError.profileInvalid(code: code.rawValue, reason: reason(code))
        }
    }

    /// What a §5.3 code means, in a line.
    static func reason(_ code: DEPErrorCode) -> String {
        switch code {
        case .configNameRequired: "profile_name is missing"
        case .configNameInvalid: "profile_name must be 1 to 125 characters"
        case .configURLRequired: "url (the MDM enrollment URL) is missing"
        case .configURLInvalid: "url is not a valid URI"
        case .departmentInvalid: "department must be 1 to 125 characters"
        case .flagsInvalid: "is_mdm_removable false requires is_supervised true"
        case .localeInvalid: "language and region are not a valid locale"
        case .magicInvalid: "org_magic must be 1 to 256 characters"
        case .supportEmailInvalid: "support_email_address must be 1 to 250 characters"
        case .malformedRequestBody:
            "anchor_certs and supervising_host_certs must hold base64 DER X.509 certificates"
        case .supportPhoneInvalid: "support_phone_number must be 1 to 50 characters"
        default: code.rawValue
        }
    }
}
