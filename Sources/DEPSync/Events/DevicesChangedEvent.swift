public import Foundation

/// The devices one stored page changed (`depsync.DevicesChanged`), in the envelope the DEP
/// events use: topic, id, creation time, then the body under `devices_changed_event`.
public struct DevicesChangedEvent: Sendable, Encodable {
    public var topic: EventTopic { .devicesChanged }
    public var eventID: String
    public var createdAt: Date
    public var body: Body

    /// Whose devices, what found the change, and the changes in the page's order.
    public struct Body: Sendable, Encodable {
        public var depName: String
        /// `fetch` or `sync` for a page's devices; `reconcile` for devices a completed full
        /// fetch did not list.
        public var source: String
        public var devices: [DeviceChange]

        enum CodingKeys: String, CodingKey {
            case depName = "dep_name"
            case source
            case devices
        }
    }

    enum CodingKeys: String, CodingKey {
        case topic
        case eventID = "event_id"
        case createdAt = "created_at"
        case body = "devices_changed_event"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(topic, forKey: .topic)
        try container.encode(eventID, forKey: .eventID)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(body, forKey: .body)
    }
}
