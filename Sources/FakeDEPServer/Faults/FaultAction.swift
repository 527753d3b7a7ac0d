public import DEPWire
import Foundation

/// What a fault rule does when it fires. In JSON, one field of the rule names it:
///
/// - `"error": {"status": 503, "code": "…", "retry_after": 5}`: an answer with that status and,
///   on Apple's surfaces, its plain-text code as the body (dep-api §6.2; the code defaults to
///   Apple's for 401, 403 and 429, and to the reason phrase otherwise), with `Retry-After` when
///   given (seconds, or any text, to see what a client makes of a bad one);
/// - `"latency": {"ms": 800, "jitter_ms": 200}`: the answer as usual, after that long (plus a
///   seeded draw of up to the jitter);
/// - `"devices": {"result": "THROTTLED", "retry_after_seconds": 30}`: a successful answer of a
///   per-device operation (define, assign or remove a profile, disown, device details, an ABM activity) in which
///   the devices (those of the rule's `serial`, else all) get that result and are left as they
///   were; shaped by the protocol version as Apple does (`THROTTLED` is `FAILED` before v9,
///   `retry_after_seconds` is sent from v10);
/// - `"transport": "reset" | "empty_reply" | "malformed_chunk" | {"cut_after": 100}`: the
///   connection fails: reset before any answer, closed without one, the answer sent chunked with
///   a chunk size that is no number, or the answer's head and only its first N body bytes before
///   the connection closes;
/// - `"misbehaviour": "echoed_cursor"`: one of Apple's known misbehaviours (`Misbehaviour`).
public enum FaultAction: Sendable, Hashable {
    case error(status: Int, code: String, retryAfter: String?)
    case latency(milliseconds: Int, jitterMilliseconds: Int)
    case devices(result: DeviceResultStatus, retryAfterSeconds: Int?)
    case transport(TransportFault)
    case misbehaviour(Misbehaviour)

    /// How a connection fails.
    public enum TransportFault: Sendable, Hashable {
        case reset, emptyReply, malformedChunk
        case cutAfter(bytes: Int)
    }

    /// The field that names each action.
    enum Kind: String, CaseIterable {
        case error, latency, devices, transport, misbehaviour
    }

    /// The operations whose answers hold a result per device.
    static let perDeviceOperations: Set<String> = [
        "define_profile", "assign_profile", "remove_profile", "disown", "device_details", "abm_create_activity",
    ]

    /// The results a `devices` action may give.
    static let deviceResults: [DeviceResultStatus] = [.failed, .notAccessible, .throttled]

    /// How it reads in a journal entry and a listing.
    var summary: String {
        switch self {
        case .error(let status, let code, let retryAfter):
            "error \(status) \(code)" + (retryAfter.map { " Retry-After: \($0)" } ?? "")
        case .latency(let milliseconds, let jitter): "latency \(milliseconds) ms" + (jitter > 0 ? " ± \(jitter)" : "")
        case .devices(let result, let retryAfter):
            "devices \(result.rawValue)" + (retryAfter.map { " retry_after_seconds: \($0)" } ?? "")
        case .transport(.reset): "transport reset"
        case .transport(.emptyReply): "transport empty_reply"
        case .transport(.malformedChunk): "transport malformed_chunk"
        case .transport(.cutAfter(let bytes)): "transport cut_after \(bytes) bytes"
        case .misbehaviour(let misbehaviour): "misbehaviour \(misbehaviour.rawValue)"
        }
    }

    /// Apple's code for a status, where it has one (dep-api §6.1), else the reason phrase.
    static func defaultCode(for status: Int) -> String {
        switch status {
        case 400: "MALFORMED_REQUEST_BODY"
        case 401: "UNAUTHORIZED"
        case 403: "FORBIDDEN"
        case 404: "NOT_FOUND"
        case 429: "TOO_MANY_REQUESTS"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Error \(status)"
        }
    }
}

extension FaultAction: Codable {
    private struct ErrorFields: Codable {
        var status: Int
        var code: String?
        var retryAfter: RetryAfter?

        enum CodingKeys: String, CodingKey {
            case status, code, retryAfter = "retry_after"
        }
    }

    /// Seconds, or any text.
    private enum RetryAfter: Codable {
        case seconds(Int)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let seconds = try? container.decode(Int.self) {
                self = .seconds(seconds)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .seconds(let seconds): try container.encode(seconds)
            case .text(let text): try container.encode(text)
            }
        }

        var header: String {
            switch self {
            case .seconds(let seconds): String(seconds)
            case .text(let text): text
            }
        }
    }

    private struct LatencyFields: Codable {
        var ms: Int
        var jitterMs: Int?

        enum CodingKeys: String, CodingKey {
            case ms, jitterMs = "jitter_ms"
        }
    }

    private struct DeviceFields: Codable {
        var result: String
        var retryAfterSeconds: Int?

        enum CodingKeys: String, CodingKey {
            case result, retryAfterSeconds = "retry_after_seconds"
        }
    }

    private struct CutFields: Codable {
        var cutAfter: Int

        enum CodingKeys: String, CodingKey {
            case cutAfter = "cut_after"
        }
    }

    private enum Key: String, CodingKey {
        case error, latency, devices, transport, misbehaviour
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let named = Kind.allCases.filter { container.contains(Key(rawValue: $0.rawValue)!) }
        guard named.count == 1, let kind = named.first else {
            throw FaultRule.invalid(
                "A fault rule does exactly one thing: give it one of "
                    + "\(Kind.allCases.map(\.rawValue).joined(separator: ", ")); it has "
                    + "\(named.isEmpty ? "none" : named.map(\.rawValue).joined(separator: " and ")).")
        }
        switch kind {
        case .error:
            let fields = try Self.decode(ErrorFields.self, container, .error)
            guard (400...599).contains(fields.status) else {
                throw FaultRule.invalid("A fault's error status is from 400 to 599, not \(fields.status).")
            }
            let code = fields.code ?? Self.defaultCode(for: fields.status)
            try World.requirePrintable(code, "A fault's error code")
            if case .seconds(let seconds) = fields.retryAfter, seconds < 0 {
                throw FaultRule.invalid("A fault's retry_after is 0 seconds or more, or text; not \(seconds).")
            }
            let retryAfter = fields.retryAfter?.header
            if let retryAfter { try World.requirePrintable(retryAfter, "A fault's retry_after") }
            self = .error(status: fields.status, code: code, retryAfter: retryAfter)
        case .latency:
            let fields = try Self.decode(LatencyFields.self, container, .latency)
            let jitter = fields.jitterMs ?? 0
            guard (0...600_000).contains(fields.ms), (0...600_000).contains(jitter) else {
                throw FaultRule.invalid("A fault's latency ms and jitter_ms are from 0 to 600000 (ten minutes).")
            }
            self = .latency(milliseconds: fields.ms, jitterMilliseconds: jitter)
        case .devices:
            let fields = try Self.decode(DeviceFields.self, container, .devices)
            let result = DeviceResultStatus(rawValue: fields.result)
            guard Self.deviceResults.contains(result) else {
                throw FaultRule.invalid(
                    "A fault's devices result is one of \(Self.deviceResults.map(\.rawValue).joined(separator: ", ")), "
                        + "not \"\(fields.result.escapingControlCharacters)\".")
            }
            if let seconds = fields.retryAfterSeconds {
                guard result == .throttled, seconds >= 0 else {
                    throw FaultRule.invalid("A fault's retry_after_seconds goes with THROTTLED and is 0 or more.")
                }
            }
            self = .devices(result: result, retryAfterSeconds: fields.retryAfterSeconds)
        case .transport:
            switch try? container.decode(String.self, forKey: .transport) {
            case "reset": self = .transport(.reset)
            case "empty_reply": self = .transport(.emptyReply)
            case "malformed_chunk": self = .transport(.malformedChunk)
            case let other?:
                throw FaultRule.invalid(
                    "A fault's transport is \"reset\", \"empty_reply\", \"malformed_chunk\" or {\"cut_after\": N}, "
                        + "not \"\(other.escapingControlCharacters)\".")
            case nil:
                let fields = try Self.decode(CutFields.self, container, .transport)
                guard fields.cutAfter >= 0 else {
                    throw FaultRule.invalid("A fault's cut_after is 0 bytes or more, not \(fields.cutAfter).")
                }
                self = .transport(.cutAfter(bytes: fields.cutAfter))
            }
        case .misbehaviour:
            let name = try? container.decode(String.self, forKey: .misbehaviour)
            guard let misbehaviour = name.flatMap(Misbehaviour.init(rawValue:)) else {
                throw FaultRule.invalid(
                    "A fault's misbehaviour is one of "
                        + "\(Misbehaviour.allCases.map(\.rawValue).joined(separator: ", ")), not "
                        + "\(name.map { "\"\($0.escapingControlCharacters)\"" } ?? "that").")
            }
            self = .misbehaviour(misbehaviour)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .error(let status, let code, let retryAfter):
            try container.encode(
                ErrorFields(status: status, code: code, retryAfter: retryAfter.map { .text($0) }), forKey: .error)
        case .latency(let milliseconds, let jitter):
            try container.encode(
                LatencyFields(ms: milliseconds, jitterMs: jitter == 0 ? nil : jitter), forKey: .latency)
        case .devices(let result, let retryAfter):
            try container.encode(DeviceFields(result: result.rawValue, retryAfterSeconds: retryAfter), forKey: .devices)
        case .transport(.reset): try container.encode("reset", forKey: .transport)
        case .transport(.emptyReply): try container.encode("empty_reply", forKey: .transport)
        case .transport(.malformedChunk): try container.encode("malformed_chunk", forKey: .transport)
        case .transport(.cutAfter(let bytes)): try container.encode(CutFields(cutAfter: bytes), forKey: .transport)
        case .misbehaviour(let misbehaviour): try container.encode(misbehaviour.rawValue, forKey: .misbehaviour)
        }
    }

    private static func example(_ key: Key) -> String {
        switch key {
        case .error: #"{"status": 503, "code"?: …, "retry_after"?: …}"#
        case .latency: #"{"ms": 800, "jitter_ms"?: 200}"#
        case .devices: #"{"result": "THROTTLED", "retry_after_seconds"?: 30}"#
        case .transport: #""reset", "empty_reply", "malformed_chunk" or {"cut_after": 100}"#
        case .misbehaviour: #""echoed_cursor""#
        }
    }

    /// An action's fields, strictly: a missing or unknown one is named.
    private static func decode<T: Decodable>(_ type: T.Type, _ container: KeyedDecodingContainer<Key>, _ key: Key)
        throws -> T
    {
        // Not an object (`null`, a number…): named like any other wrong value, never a bare decoding error.
        guard let fields = try? container.nestedContainer(keyedBy: AnyKey.self, forKey: key) else {
            throw FaultRule.invalid("A fault's \(key.rawValue) is \(Self.example(key)).")
        }
        let known: Set<String> =
            switch key {
            case .error: ["status", "code", "retry_after"]
            case .latency: ["ms", "jitter_ms"]
            case .devices: ["result", "retry_after_seconds"]
            case .transport: ["cut_after"]
            case .misbehaviour: []
            }
        if let unknown = fields.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw FaultRule.invalid(
                "A fault's \(key.rawValue) has no field \"\(unknown.stringValue.escapingControlCharacters)\"; "
                    + "its fields are \(known.sorted().joined(separator: ", ")).")
        }
        do {
            return try container.decode(type, forKey: key)
        } catch {
            throw FaultRule.invalid("A fault's \(key.rawValue) is not \(Self.example(key)): \(error)")
        }
    }
}
