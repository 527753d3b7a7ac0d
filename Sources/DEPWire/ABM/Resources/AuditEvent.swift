/// One entry of the organisation's audit log (`GET /v1/auditEvents`). There is no JSON Schema
/// of it in apple-device-services; the shape follows Apple's "Get Audit Events" example and its
/// `AuditEventType`, `AuditEventActorType` and `AuditEventSubjectType` pages
/// (developer.apple.com/documentation/applebusinessapi/get-audit-events).
public struct AuditEvent: Codable, Hashable, Sendable {
    /// The resource type, `auditEvents`.
    public static let resourceType = "auditEvents"

    public var type: String
    public var id: String
    public var attributes: Attributes

    public init(id: String, attributes: Attributes) {
        type = Self.resourceType
        self.id = id
        self.attributes = attributes
    }

    public struct Attributes: Codable, Hashable, Sendable {
        public var eventDateTime: ABMDateTime?
        /// `DEVICE_ADDED_TO_ORG`, `DEVICE_REMOVED_FROM_ORG`, `DEVICE_ASSIGNED_TO_SERVER`,
        /// `DEVICE_UNASSIGNED_FROM_SERVER`, … (`AuditEventType`).
        public var type: String?
        public var category: String?
        /// `USER`, `API_USER` or `SYSTEM`.
        public var actorType: String?
        public var actorId: String?
        public var actorName: String?
        /// `DEVICE` for every event of devices.
        public var subjectType: String?
        public var subjectId: String?
        public var subjectName: String?
        /// `SUCCESS`.
        public var outcome: String?
        /// Events of one change share it.
        public var groupId: String?

        public init(
            eventDateTime: ABMDateTime?, type: String?, category: String?, actorType: String?, actorId: String?,
            actorName: String?, subjectType: String?, subjectId: String?, subjectName: String?, outcome: String?,
            groupId: String?
        ) {
            self.eventDateTime = eventDateTime
            self.type = type
            self.category = category
            self.actorType = actorType
            self.actorId = actorId
            self.actorName = actorName
            self.subjectType = subjectType
            self.subjectId = subjectId
            self.subjectName = subjectName
            self.outcome = outcome
            self.groupId = groupId
        }
    }
}
