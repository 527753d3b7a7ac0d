import DEPWire

/// A refusal of the portal (`{"error": CODE, "message": TEXT}` with a fitting status): what an
/// administrator did that the portal does not allow, in words that say what to do instead.
public struct PortalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable reason.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let notFound = Code(rawValue: "NOT_FOUND")
        public static let invalidRequest = Code(rawValue: "INVALID_REQUEST")
        public static let invalidCertificate = Code(rawValue: "INVALID_CERTIFICATE")
        public static let noCertificate = Code(rawValue: "NO_CERTIFICATE")
        public static let nameTaken = Code(rawValue: "NAME_TAKEN")
        public static let unknownOrder = Code(rawValue: "UNKNOWN_ORDER")
        public static let duplicateSerial = Code(rawValue: "DUPLICATE_SERIAL")
        public static let invalidSerial = Code(rawValue: "INVALID_SERIAL")
        public static let tooLarge = Code(rawValue: "TOO_LARGE")
        /// A world snapshot that cannot be loaded: of another format version, cut short, malformed.
        public static let invalidSnapshot = Code(rawValue: "INVALID_SNAPSHOT")
        /// A request that would make a credential live in two worlds.
        public static let conflict = Code(rawValue: "CONFLICT")
        /// A journal asked of a server started with `--journal-size 0`.
        public static let journalOff = Code(rawValue: "JOURNAL_OFF")
        /// The organisation holds as many of something as Apple allows (API accounts: 50).
        public static let limitReached = Code(rawValue: "LIMIT_REACHED")
        /// A body in a media type the route does not read: not JSON, or a form's.
        public static let unsupportedMediaType = Code(rawValue: "UNSUPPORTED_MEDIA_TYPE")
        /// A request to a host name the server does not answer to (its portal, control, pages).
        public static let misdirected = Code(rawValue: "MISDIRECTED_REQUEST")
        /// A state-changing request a browser sent from another origin's page.
        public static let crossSiteRequest = Code(rawValue: "CROSS_SITE_REQUEST")
        /// A request to the portal, test control or pages of a server with an admin token that
        /// carries neither the token nor its sign-in.
        public static let unauthorized = Code(rawValue: "UNAUTHORIZED")

        /// The HTTP status the portal answers with.
        public var status: Int {
            switch self {
            case .notFound, .unknownOrder: 404
            case .nameTaken, .duplicateSerial, .conflict, .journalOff, .limitReached: 409
            case .tooLarge: 413
            case .unauthorized: 401
            case .unsupportedMediaType: 415
            case .misdirected: 421
            case .crossSiteRequest: 403
            default: 400
            }
        }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

extension World {
    /// Refuses `text` (`what` names it, for the message) when it holds a control character: an
    /// identifier is printable, and SQLite would read one with a NUL only up to the NUL.
    static func requirePrintable(_ text: String, _ what: String) throws {
        guard text.containsControlCharacters else { return }
        throw PortalError(
            .invalidRequest,
            "\(what) holds a control character (\"\(text.escapingControlCharacters)\"); use printable text.")
    }
}
