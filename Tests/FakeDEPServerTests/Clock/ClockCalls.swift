import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation

extension TestServer {
    /// What world `id`'s clock reads.
    func clock(_ id: String = WorldRegistry.defaultID) async throws -> ClockReading {
        try Self.decode(ClockReading.self, try await send("GET", "/_fakedep/worlds/\(id)/clock"))
    }

    /// Advances world `id`'s clock by `by`, a JSON value (`"\"P7DT1S\""` or `"604801"`); the move
    /// must succeed.
    func advanceClock(by: String, world id: String = WorldRegistry.defaultID) async throws -> ClockAdvance {
        try Self.decode(
            ClockAdvance.self, try await send("POST", "/_fakedep/worlds/\(id)/clock/advance", json: #"{"by":\#(by)}"#))
    }

    /// Advances world `id`'s clock by an ISO 8601 duration.
    func advanceClock(_ duration: String, world id: String = WorldRegistry.defaultID) async throws -> ClockAdvance {
        try await advanceClock(by: "\"\(duration)\"", world: id)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse) throws -> T {
        guard (200..<300).contains(response.status) else {
            throw PortalCallFailure(response: response, expected: "a 2xx answer")
        }
        return try DEPJSON.decode(type, from: response.body)
    }
}
