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

    /// The event's JSON with `page`, a page's bytes as received (strict JSON, `ReceivedPage.json`),
    /// as its `device_response`: what `DEPJSON.encode` writes of the event for that page, keys in
    /// the same order, without decoding and encoding its up to 1000 devices again. A receiver
    /// gets the page byte for byte as the service sent it.
    public static func splicing(
        page: Data, topic: EventTopic, eventID: String, createdAt: Date, depName: String
    ) -> Data {
        var head: [UInt8] = []
        head.reserveCapacity(160 + depName.utf8.count)
        head.append(contentsOf: #"{"topic":"#.utf8)
        DEPJSON.appendString(topic.rawValue, to: &head)
        head.append(contentsOf: #","event_id":"#.utf8)
        DEPJSON.appendString(eventID, to: &head)
        head.append(contentsOf: #","created_at":"#.utf8)
        DEPJSON.appendString(DEPDate.format(createdAt), to: &head)
        head.append(contentsOf: #","device_response_event":{"dep_name":"#.utf8)
        DEPJSON.appendString(depName, to: &head)
        head.append(contentsOf: #","device_response":"#.utf8)
        var json = Data(capacity: head.count + page.count + 2)
        json.append(contentsOf: head)
        json.append(page)
        json.append(contentsOf: "}}".utf8)
        return json
    }
}
