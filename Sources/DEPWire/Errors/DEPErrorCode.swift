/// An error code of the DEP API: the plain-text body Apple answers with (dep-api §6.1).
///
/// Each known code carries the HTTP status Apple sends it with. The list is open: a body Apple
/// adds later still reads as a code.
public struct DEPErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The status Apple sends this code with; 400 for codes we do not know.
    public var status: Int { Self.statuses[rawValue] ?? 400 }

    /// Whether this is one of the cursor codes that tell a client to start a new fetch.
    public var requiresNewFetch: Bool { self == .invalidCursor || self == .expiredCursor }

    // Generic (§6.1).
    public static let malformedRequestBody = DEPErrorCode(rawValue: "MALFORMED_REQUEST_BODY")
    public static let userAgentMissing = DEPErrorCode(rawValue: "USER_AGENT_MISSING")
    public static let userAgentInvalid = DEPErrorCode(rawValue: "USER_AGENT_INVALID")
    public static let unauthorized = DEPErrorCode(rawValue: "UNAUTHORIZED")
    public static let forbidden = DEPErrorCode(rawValue: "FORBIDDEN")
    public static let accessDenied = DEPErrorCode(rawValue: "ACCESS_DENIED")
    public static let termsNotSigned = DEPErrorCode(rawValue: "T_C_NOT_SIGNED")
    public static let notFound = DEPErrorCode(rawValue: "NOT_FOUND")
    public static let tooManyRequests = DEPErrorCode(rawValue: "TOO_MANY_REQUESTS")
    public static let internalServerError = DEPErrorCode(rawValue: "Internal Server Error")
    // Cursors (§4).
    public static let cursorRequired = DEPErrorCode(rawValue: "CURSOR_REQUIRED")
    public static let invalidCursor = DEPErrorCode(rawValue: "INVALID_CURSOR")
    public static let exhaustedCursor = DEPErrorCode(rawValue: "EXHAUSTED_CURSOR")
    public static let expiredCursor = DEPErrorCode(rawValue: "EXPIRED_CURSOR")
    // Devices and profiles (§3.4–§3.12).
    public static let deviceIDRequired = DEPErrorCode(rawValue: "DEVICE_ID_REQUIRED")
    public static let deviceNotFound = DEPErrorCode(rawValue: "DEVICE_NOT_FOUND")
    public static let profileUUIDRequired = DEPErrorCode(rawValue: "PROFILE_UUID_REQUIRED")
    public static let configNameRequired = DEPErrorCode(rawValue: "CONFIG_NAME_REQUIRED")
    public static let configNameInvalid = DEPErrorCode(rawValue: "CONFIG_NAME_INVALID")
    public static let configURLRequired = DEPErrorCode(rawValue: "CONFIG_URL_REQUIRED")
    public static let configURLInvalid = DEPErrorCode(rawValue: "CONFIG_URL_INVALID")
    public static let departmentInvalid = DEPErrorCode(rawValue: "DEPARTMENT_INVALID")
    public static let flagsInvalid = DEPErrorCode(rawValue: "FLAGS_INVALID")
    public static let localeInvalid = DEPErrorCode(rawValue: "LOCALE_INVALID")
    public static let magicInvalid = DEPErrorCode(rawValue: "MAGIC_INVALID")
    public static let supportEmailInvalid = DEPErrorCode(rawValue: "SUPPORT_EMAIL_INVALID")
    public static let supportPhoneInvalid = DEPErrorCode(rawValue: "SUPPORT_PHONE_INVALID")
    // Account-driven enrollment and beta tokens (§3.13, §3.14).
    public static let serviceDiscoveryURLRequired = DEPErrorCode(rawValue: "MDM_SERVICE_DISCOVERY_URL_REQUIRED")
    public static let serviceDiscoveryURLNotValid = DEPErrorCode(rawValue: "MDM_SERVICE_DISCOVERY_URL_NOT_VALID")
    public static let orgNotSupported = DEPErrorCode(rawValue: "ORG_NOT_SUPPORTED")
    public static let appleSeedForITTurnedOff = DEPErrorCode(rawValue: "APPLE_SEED_FOR_IT_TURNED_OFF")

    private static let statuses: [String: Int] = [
        unauthorized.rawValue: 401,
        forbidden.rawValue: 403, accessDenied.rawValue: 403, termsNotSigned.rawValue: 403,
        appleSeedForITTurnedOff.rawValue: 403,
        notFound.rawValue: 404,
        tooManyRequests.rawValue: 429,
        internalServerError.rawValue: 500,
    ]
}
