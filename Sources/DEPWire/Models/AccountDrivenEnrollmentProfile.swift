#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The body of `POST /account-driven-enrollment/profile` (dep-api §3.14).
public struct AccountDrivenEnrollmentProfileRequest: Codable, Hashable, Sendable {
    public var mdmServiceDiscoveryURL: String?

    enum CodingKeys: String, CodingKey {
        case mdmServiceDiscoveryURL = "mdm_service_discovery_url"
    }

    public init(mdmServiceDiscoveryURL: String?) { self.mdmServiceDiscoveryURL = mdmServiceDiscoveryURL }
}

/// The answer of `GET /account-driven-enrollment/profile`.
public struct GetAccountDrivenEnrollmentProfileResponse: Codable, Hashable, Sendable {
    public var mdmServiceDiscoveryURL: String
    public var lastUpdatedTimestamp: Date?

    enum CodingKeys: String, CodingKey {
        case mdmServiceDiscoveryURL = "mdm_service_discovery_url"
        case lastUpdatedTimestamp = "last_updated_timestamp"
    }

    public init(mdmServiceDiscoveryURL: String, lastUpdatedTimestamp: Date?) {
        self.mdmServiceDiscoveryURL = mdmServiceDiscoveryURL
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
    }
}
