/// The two flavours of Apple's device-management API: Apple Business Manager and Apple School
/// Manager. They differ in host, OAuth scope and the prefix of their client ids (peers §5.1).
public enum ABMService: String, Sendable, Hashable, CaseIterable, Codable {
    case business
    case school

    /// What every client id of the service starts with: `BUSINESSAPI.` or `SCHOOLAPI.`.
    public var clientIDPrefix: String {
        switch self {
        case .business: "BUSINESSAPI."
        case .school: "SCHOOLAPI."
        }
    }

    /// The one OAuth scope its tokens are for: `business.api` or `school.api`.
    public var scope: String {
        switch self {
        case .business: "business.api"
        case .school: "school.api"
        }
    }

    /// Apple's API host: `api-business.apple.com` or `api-school.apple.com`.
    public var hostName: String {
        switch self {
        case .business: "api-business.apple.com"
        case .school: "api-school.apple.com"
        }
    }

    /// The service a client id belongs to, by its prefix; `nil` for neither.
    public init?(clientID: some StringProtocol) {
        guard let service = Self.allCases.first(where: { clientID.hasPrefix($0.clientIDPrefix) }) else { return nil }
        self = service
    }

    /// The service a scope names; `nil` for any other scope.
    public init?(scope: some StringProtocol) {
        guard let service = Self.allCases.first(where: { $0.scope == scope }) else { return nil }
        self = service
    }

    /// A new client id of this service: its prefix and an upper-case UUID, as Apple's look.
    public func clientID(uuid: String) -> String { clientIDPrefix + uuid }
}
