/// A device management service of the organisation as the ABM API shows it (`MdmServer`,
/// peers §5.4).
public struct MdmServer: Codable, Hashable, Sendable {
    /// The resource type, `mdmServers`.
    public static let resourceType = "mdmServers"

    public var type: String
    /// 32 upper-case hexadecimal characters.
    public var id: String
    public var attributes: Attributes?
    public var relationships: Relationships?

    public init(id: String, attributes: Attributes?, relationships: Relationships? = nil) {
        type = Self.resourceType
        self.id = id
        self.attributes = attributes
        self.relationships = relationships
    }

    /// What the API says of a server, in the order of Apple's examples; any may be left out.
    public struct Attributes: Codable, Hashable, Sendable {
        public var serverName: String?
        /// `MDM`, `APPLE_CONFIGURATOR` or `APPLE_MDM`.
        public var serverType: String?
        /// `ACTIVE`, `INACTIVE` or `DELETED`.
        public var status: String?
        public var deviceCount: Int?
        public var enableMdmDisownFlag: Bool?
        /// `APPLE_TV`, `IPAD`, `IPHONE`, `IPOD`, `MAC`, `VISION`, `WATCH`.
        public var defaultProductFamilies: [String]?
        public var createdDateTime: ABMDateTime?
        public var updatedDateTime: ABMDateTime?
        public var lastConnectedDateTime: ABMDateTime?
        public var lastConnectedIp: String?

        public init(
            serverName: String? = nil, serverType: String? = nil, status: String? = nil, deviceCount: Int? = nil,
            enableMdmDisownFlag: Bool? = nil, defaultProductFamilies: [String]? = nil,
            createdDateTime: ABMDateTime? = nil, updatedDateTime: ABMDateTime? = nil
        ) {
            self.serverName = serverName
            self.serverType = serverType
            self.status = status
            self.deviceCount = deviceCount
            self.enableMdmDisownFlag = enableMdmDisownFlag
            self.defaultProductFamilies = defaultProductFamilies
            self.createdDateTime = createdDateTime
            self.updatedDateTime = updatedDateTime
        }

        /// The attributes `fields[mdmServers]` may name.
        public static let fieldNames: Set<String> = [
            "serverName", "serverType", "status", "deviceCount", "enableMdmDisownFlag", "defaultProductFamilies",
            "createdDateTime", "updatedDateTime", "lastConnectedDateTime", "lastConnectedIp",
        ]

        /// Only the attributes named in `fields`, the others left out.
        public func restricted(to fields: Set<String>) -> Self {
            var copy = Self()
            func keep<T>(_ name: String, _ path: WritableKeyPath<Self, T?>) {
                if fields.contains(name) { copy[keyPath: path] = self[keyPath: path] }
            }
            keep("serverName", \.serverName)
            keep("serverType", \.serverType)
            keep("status", \.status)
            keep("deviceCount", \.deviceCount)
            keep("enableMdmDisownFlag", \.enableMdmDisownFlag)
            keep("defaultProductFamilies", \.defaultProductFamilies)
            keep("createdDateTime", \.createdDateTime)
            keep("updatedDateTime", \.updatedDateTime)
            keep("lastConnectedDateTime", \.lastConnectedDateTime)
            keep("lastConnectedIp", \.lastConnectedIp)
            return copy
        }
    }

    /// `devices`: a link to the serials assigned to the server.
    public struct Relationships: Codable, Hashable, Sendable {
        public var devices: Relationship?

        public init(devices: Relationship?) { self.devices = devices }
    }
}

/// The body of `POST /v1/mdmServers` (create: `serverName` and `serverCertificate` required)
/// and `PATCH /v1/mdmServers/{id}` (update: only the attributes sent change).
public struct MdmServerRequest: Codable, Hashable, Sendable {
    public struct Data: Codable, Hashable, Sendable {
        public var type: String
        /// The server's id; sent with an update.
        public var id: String?
        public var attributes: Attributes

        public init(id: String? = nil, attributes: Attributes) {
            type = MdmServer.resourceType
            self.id = id
            self.attributes = attributes
        }
    }

    /// The attributes a client may set.
    public struct Attributes: Codable, Hashable, Sendable {
        public var serverName: String?
        public var serverCertificate: ServerCertificate?
        public var enableMdmDisownFlag: Bool?
        public var defaultProductFamilies: [String]?

        public init(
            serverName: String? = nil, serverCertificate: ServerCertificate? = nil, enableMdmDisownFlag: Bool? = nil,
            defaultProductFamilies: [String]? = nil
        ) {
            self.serverName = serverName
            self.serverCertificate = serverCertificate
            self.enableMdmDisownFlag = enableMdmDisownFlag
            self.defaultProductFamilies = defaultProductFamilies
        }
    }

    /// The server's public-key certificate: a file name and base64 DER X.509.
    public struct ServerCertificate: Codable, Hashable, Sendable {
        public var name: String?
        public var data: String?

        public init(name: String?, data: String?) {
            self.name = name
            self.data = data
        }
    }

    public var data: Data

    public init(data: Data) { self.data = data }
}
