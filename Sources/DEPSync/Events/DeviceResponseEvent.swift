public import DEPWire
public import Foundation

/// A fetch or sync page handed on as MicroMDM's and nanodep's DEP webhooks do: the topic, an id,
/// when it was made, and under `device_response_event` the DEP server's name and the page with
/// the keys the service used (`devices`, `cursor`, `more_to_follow`, `fetched_until`).
public struct DeviceResponseEvent: Sendable, Encodable {
    public var topic: EventTopic
    public var eventID: String
    public var createdAt: Date
    public var body: Body

    /// What the event is about: whose page, and the page.
    public struct Body: Sendable, Encodable {
        public var depName: String
        public var deviceResponse: FetchDeviceResponse

        enum CodingKeys: String, CodingKey {
            case depName = "dep_name"
            case deviceResponse = "device_response"
        }
    }

    enum CodingKeys: String, CodingKey {
        case topic
        case eventID = "event_id"
        case createdAt = "created_at"
        case body = "device_response_event"
    }

    /// The event for `page`, of a fetch (`.fetchDevices`) or a sync (`.syncDevices`).
    public init(topic: EventTopic, eventID: String, createdAt: Date, depName: String, page: FetchDeviceResponse) {
        self.topic = topic
        self.eventID = eventID
        self.createdAt = createdAt
        self.body = Body(depName: depName, deviceResponse: page)
    }
}
