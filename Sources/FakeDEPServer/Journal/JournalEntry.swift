public import Foundation

/// One request to a world as the journal keeps it: what came, what went, and why a refusal
/// refused. Secrets (OAuth signatures, session tokens, token secrets) never reach it.
public struct JournalEntry: Codable, Sendable, Hashable {
    /// Numbered from 1 in each world, in the order requests finished.
    public var seq: Int
    /// When the request arrived, by the machine's clock.
    public var time: Date
    /// When it arrived by the world's business clock.
    public var worldTime: Date
    public var method: String
    /// The path as the client sent it, query included.
    public var path: String
    /// What was asked, in the journal's fixed vocabulary (`fetch_devices`, `portal_assign`…).
    public var operation: String
    /// The MDM server the request came from or acted on (its name), when one is known.
    public var server: String?
    public var protocolVersion: Int?
    public var userAgent: String?
    public var status: Int
    /// From the request's arrival to its last response byte, in milliseconds.
    public var durationMs: Double
    /// The request body as read (the first 64 KiB, secrets redacted), if it had one.
    public var requestBody: String?
    /// The response body (the first 64 KiB, secrets redacted), if it had one.
    public var responseBody: String?
    /// For a refusal: why, in words (the OAuth base string the server computed, the JSON path
    /// of a bad body, whether a session was unknown or expired).
    public var why: String?
    /// The fault rule that acted on the request, by id and action (`f2: error 503 Service Unavailable`).
    public var fault: String?

    /// An entry; `seq` is given again when a journal records it.
    public init(
        seq: Int, time: Date, worldTime: Date, method: String, path: String, operation: String, server: String? = nil,
        protocolVersion: Int? = nil, userAgent: String? = nil, status: Int, durationMs: Double,
        requestBody: String? = nil, responseBody: String? = nil, why: String? = nil
    ) {
        self.seq = seq
        self.time = time
        self.worldTime = worldTime
        self.method = method
        self.path = path
        self.operation = operation
        self.server = server
        self.protocolVersion = protocolVersion
        self.userAgent = userAgent
        self.status = status
        self.durationMs = durationMs
        self.requestBody = requestBody
        self.responseBody = responseBody
        self.why = why
    }

    enum CodingKeys: String, CodingKey {
        case seq, time, worldTime = "world_time", method, path, operation, server
        case protocolVersion = "protocol_version", userAgent = "user_agent", status
        case durationMs = "duration_ms", requestBody = "request_body", responseBody = "response_body", why, fault
    }
}
