public import Foundation

/// An event as the outbox keeps it: its place in the order of events, its id and topic, and the
/// JSON every target receives byte for byte.
public struct OutboxEvent: Sendable, Hashable {
    /// The event's place in the order of all events of this store (never reused).
    public var sequence: Int64
    public var eventID: String
    public var topic: String
    public var createdAt: Date
    /// The event's JSON, as delivered.
    public var body: Data

    public init(sequence: Int64, eventID: String, topic: String, createdAt: Date, body: Data) {
        self.sequence = sequence
        self.eventID = eventID
        self.topic = topic
        self.createdAt = createdAt
        self.body = body
    }
}
