/// The answer of `GET /account` (dep-api §3.1), keys in the order observed from Apple.
public struct AccountDetail: Codable, Hashable, Sendable {
    public var serverName: String?
    /// 32 upper-case hex characters.
    public var serverUUID: String?
    /// Deprecated duplicate of `adminID`.
    public var facilitatorID: String?
    /// The Apple Account that generated the tokens in use.
    public var adminID: String?
    public var orgName: String?
    public var orgEmail: String?
    public var orgPhone: String?
    public var orgAddress: String?
    /// v3+ from here on.
    public var orgID: String?
    public var orgIDHash: String?
    public var urls: [EndpointURL]?
    /// `edu`, `org` or `tvprovider`.
    public var orgType: String?
    /// `v1` or `v2`.
    public var orgVersion: String?

    enum CodingKeys: String, CodingKey {
        case serverName = "server_name"
        case serverUUID = "server_uuid"
        case facilitatorID = "facilitator_id"
        case adminID = "admin_id"
        case orgName = "org_name"
        case orgEmail = "org_email"
        case orgPhone = "org_phone"
        case orgAddress = "org_address"
        case orgID = "org_id"
        case orgIDHash = "org_id_hash"
        case urls
        case orgType = "org_type"
        case orgVersion = "org_version"
    }

    public init(
        serverName: String? = nil, serverUUID: String? = nil, facilitatorID: String? = nil, adminID: String? = nil,
        orgName: String? = nil, orgEmail: String? = nil, orgPhone: String? = nil, orgAddress: String? = nil,
        orgID: String? = nil, orgIDHash: String? = nil, urls: [EndpointURL]? = nil, orgType: String? = nil,
        orgVersion: String? = nil
    ) {
        self.serverName = serverName
        self.serverUUID = serverUUID
        self.facilitatorID = facilitatorID
        self.adminID = adminID
        self.orgName = orgName
        self.orgEmail = orgEmail
        self.orgPhone = orgPhone
        self.orgAddress = orgAddress
        self.orgID = orgID
        self.orgIDHash = orgIDHash
        self.urls = urls
        self.orgType = orgType
        self.orgVersion = orgVersion
    }

    /// The page-size limits the account advertises for `uri`, if any.
    public func limit(for uri: String) -> PageLimit? {
        urls?.first { $0.uri == uri }?.limit
    }
}

/// One endpoint available to the MDM server, with its page-size limits (`urls[]`, v3+).
public struct EndpointURL: Codable, Hashable, Sendable {
    public var uri: String
    public var httpMethod: [String]
    public var limit: PageLimit?

    enum CodingKeys: String, CodingKey {
        case uri
        case httpMethod = "http_method"
        case limit
    }

    public init(uri: String, httpMethod: [String], limit: PageLimit? = nil) {
        self.uri = uri
        self.httpMethod = httpMethod
        self.limit = limit
    }
}

/// Default and maximum page size of a paged endpoint.
public struct PageLimit: Codable, Hashable, Sendable {
    public var `default`: Int
    public var maximum: Int

    public init(default: Int, maximum: Int) {
        self.default = `default`
        self.maximum = maximum
    }
}
