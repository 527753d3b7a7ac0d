/// An asynchronous change to devices (`OrgDeviceActivity`, peers §5.4): created `IN_PROGRESS`,
/// then `COMPLETED` with a CSV log at `downloadUrl`.
public struct OrgDeviceActivity: Codable, Hashable, Sendable {
    /// The resource type, `orgDeviceActivities`.
    public static let resourceType = "orgDeviceActivities"

    public var type: String
    public var id: String
    public var attributes: Attributes?
    public var links: SelfLinks?

    public init(id: String, attributes: Attributes?, links: SelfLinks? = nil) {
        type = Self.resourceType
        self.id = id
        self.attributes = attributes
        self.links = links
    }

    public struct Attributes: Codable, Hashable, Sendable {
        /// `IN_PROGRESS`, `COMPLETED`, `STOPPED` or `FAILED`.
        public var status: String?
        /// `SUBMITTED` … `COMPLETED_WITH_SUCCESS`, `COMPLETED_WITH_ERROR`, ….
        public var subStatus: String?
        public var createdDateTime: ABMDateTime?
        /// Only once completed.
        public var completedDateTime: ABMDateTime?
        /// The CSV log; only once completed.
        public var downloadUrl: String?

        public init(
            status: String?, subStatus: String?, createdDateTime: ABMDateTime?, completedDateTime: ABMDateTime? = nil,
            downloadUrl: String? = nil
        ) {
            self.status = status
            self.subStatus = subStatus
            self.createdDateTime = createdDateTime
            self.completedDateTime = completedDateTime
            self.downloadUrl = downloadUrl
        }
    }
}

/// The activity types of `POST /v1/orgDeviceActivities` (peers §5.4).
public enum OrgDeviceActivityType: String, CaseIterable, Codable, Hashable, Sendable {
    case assignDevices = "ASSIGN_DEVICES"
    case unassignDevices = "UNASSIGN_DEVICES"
    case releaseDevices = "RELEASE_DEVICES"
    case assignDevicesWithMigrationDeadline = "ASSIGN_DEVICES_WITH_MDM_MIGRATION_DEADLINE"
    case updateMigrationDeadline = "UPDATE_MDM_MIGRATION_DEADLINE"
    case cancelMigration = "CANCEL_MDM_MIGRATION"

    /// Whether the activity names the server the devices go to (`mdmServer`).
    public var needsServer: Bool {
        switch self {
        case .assignDevices, .unassignDevices, .assignDevicesWithMigrationDeadline: true
        case .releaseDevices, .updateMigrationDeadline, .cancelMigration: false
        }
    }

    /// Whether it needs `activityTypeMetadata.mdmMigrationDeadlineDateTime`.
    public var needsDeadline: Bool { self == .assignDevicesWithMigrationDeadline || self == .updateMigrationDeadline }
}

/// The body of `POST /v1/orgDeviceActivities` (`OrgDeviceActivityCreateRequest`).
public struct OrgDeviceActivityCreateRequest: Codable, Hashable, Sendable {
    public struct Data: Codable, Hashable, Sendable {
        public var type: String
        public var attributes: Attributes
        public var relationships: Relationships

        public init(attributes: Attributes, relationships: Relationships) {
            type = OrgDeviceActivity.resourceType
            self.attributes = attributes
            self.relationships = relationships
        }
    }

    public struct Attributes: Codable, Hashable, Sendable {
        /// Kept as sent, so that an unknown type is refused by name rather than as bad JSON.
        public var activityType: String
        public var activityTypeMetadata: Metadata?

        public init(activityType: String, activityTypeMetadata: Metadata? = nil) {
            self.activityType = activityType
            self.activityTypeMetadata = activityTypeMetadata
        }
    }

    /// The deadline of the migration activities.
    public struct Metadata: Codable, Hashable, Sendable {
        public var mdmMigrationDeadlineDateTime: ABMDateTime?

        public init(mdmMigrationDeadlineDateTime: ABMDateTime?) {
            self.mdmMigrationDeadlineDateTime = mdmMigrationDeadlineDateTime
        }
    }

    public struct Relationships: Codable, Hashable, Sendable {
        public var mdmServer: ToOne?
        public var devices: ToMany

        public init(mdmServer: ToOne?, devices: ToMany) {
            self.mdmServer = mdmServer
            self.devices = devices
        }
    }

    public struct ToOne: Codable, Hashable, Sendable {
        public var data: ResourceLinkage
        public init(data: ResourceLinkage) { self.data = data }
    }

    public struct ToMany: Codable, Hashable, Sendable {
        public var data: [ResourceLinkage]
        public init(data: [ResourceLinkage]) { self.data = data }
    }

    public var data: Data

    public init(data: Data) { self.data = data }

    /// A request of `type` for the devices `serials`, to server `server` when it needs one.
    public init(_ type: OrgDeviceActivityType, serials: [String], server: String? = nil, deadline: ABMDateTime? = nil) {
        data = Data(
            attributes: Attributes(
                activityType: type.rawValue,
                activityTypeMetadata: deadline.map { Metadata(mdmMigrationDeadlineDateTime: $0) }),
            relationships: Relationships(
                mdmServer: server.map { ToOne(data: ResourceLinkage(type: MdmServer.resourceType, id: $0)) },
                devices: ToMany(data: serials.map { ResourceLinkage(type: OrgDevice.resourceType, id: $0) })))
    }
}
