import DEPWire
public import Foundation

/// One JSON document that sets a world up for a test: its inventory, the terms, MDM servers and
/// what is assigned to them, how long tokens last, where its clock stands, and fault rules.
/// Read strictly: an unknown field or a wrong value is refused with its path
/// (`servers[1].devices`), so a scenario never half-means something.
///
/// ```json
/// {
///   "description": "What it reproduces.", "expect": "How a correct client behaves.",
///   "inventory": {"devices": 300, "seed": 7},
///   "terms_signed": true, "token_lifetime": "P5D",
///   "servers": [{"name": "Test MDM", "certificate": "-----BEGIN CERTIFICATE-----…", "devices": 120}],
///   "clock": {"advance": "P2D", "frozen": false},
///   "faults": [{"operation": "fetch_devices", "times": 2, "error": {"status": 503}}]
/// }
/// ```
public struct Scenario: Sendable, Hashable {
    /// What it reproduces, and how a correct client behaves: for people, not for the world.
    public var description: String?
    public var expect: String?
    /// The organisation and its devices; the mock organisation unless it says otherwise.
    public var inventory: WorldSeed = .mock
    /// Whether the organisation has accepted the current terms (`false`: `T_C_NOT_SIGNED`).
    public var termsSigned: Bool?
    /// How long each server token downloaded in this world lasts (one year unless set).
    public var tokenLifetime: TimeInterval?
    public var servers: [Server] = []
    /// Moves business time forward once everything else is in place, and freezes it if asked.
    public var clockAdvance: TimeInterval?
    public var clockFrozen = false
    public var faults: [FaultRule] = []
    /// The document as it was read, to keep with a world and read again.
    var document = JSONValue.null

    /// The document as JSON.
    public func json() throws -> Data { try DEPJSON.encode(document) }

    /// An MDM server of the scenario.
    public struct Server: Sendable, Hashable {
        public var name: String
        /// Its public key, PEM: the token is then downloadable at once.
        public var certificate: Data?
        public var mayDisown = false
        /// The devices assigned to it: the first N unassigned ones, or these serials.
        public var devices: Assignment?
    }

    public enum Assignment: Sendable, Hashable {
        case count(Int)
        case serials([String])
    }
}

extension Scenario {
    /// Reads a scenario document, or `400 INVALID_REQUEST` naming the field at fault.
    public init(json: Data) throws {
        guard let document = try? DEPJSON.decode(JSONValue.self, from: json) else {
            throw Self.invalid("", "is not JSON")
        }
        try self.init(ScenarioValue(document, path: ""))
    }

    init(_ document: ScenarioValue) throws {
        self.document = document.raw
        let fields = try document.object(
            known: [
                "description", "expect", "inventory", "terms_signed", "token_lifetime", "servers", "clock", "faults",
            ])
        description = try fields["description"]?.string()
        expect = try fields["expect"]?.string()
        if let inventory = fields["inventory"] {
            do {
                self.inventory = try DEPJSON.decode(WorldSeed.self, from: inventory.json())
            } catch let error as PortalError {
                throw Self.invalid(inventory.path, "is not a seed: \(error.message)")
            }
            guard self.inventory != .snapshot else {
                throw Self.invalid(inventory.path, "is \"mock\", \"empty\", \"none\" or {\"devices\": N, \"seed\": S}")
            }
        }
        termsSigned = try fields["terms_signed"]?.bool()
        tokenLifetime = try fields["token_lifetime"]?.duration()
        servers = try fields["servers"]?.array().map(Server.init) ?? []
        var names = Set<String>()
        for (index, server) in servers.enumerated() where !names.insert(server.name.lowercased()).inserted {
            throw Self.invalid("servers[\(index)].name", "repeats \"\(server.name.escapingControlCharacters)\"")
        }
        if let clock = fields["clock"] {
            let clockFields = try clock.object(known: ["advance", "frozen"])
            clockAdvance = try clockFields["advance"]?.duration()
            clockFrozen = try clockFields["frozen"]?.bool() ?? false
        }
        faults =
            try fields["faults"]?.array().map { rule in
                do {
                    return try DEPJSON.decode(FaultRule.self, from: rule.json())
                } catch let error as PortalError {
                    throw Self.invalid(rule.path, error.message)
                }
            } ?? []
    }

    static func invalid(_ path: String, _ problem: String) -> PortalError {
        PortalError(.invalidRequest, "The scenario's \(path.isEmpty ? "document" : path) \(problem).")
    }
}

extension Scenario.Server {
    init(_ value: ScenarioValue) throws {
        let fields = try value.object(known: ["name", "certificate", "may_disown", "devices"])
        guard let name = try fields["name"]?.string() else {
            throw Scenario.invalid(value.path + ".name", "is missing")
        }
        self.name = name
        if let pem = try fields["certificate"]?.string() { certificate = Data(pem.utf8) }
        mayDisown = try fields["may_disown"]?.bool() ?? false
        if let devices = fields["devices"] {
            if case .integer(let count) = devices.raw {
                guard count >= 0 else { throw Scenario.invalid(devices.path, "is a count of 0 or more") }
                self.devices = .count(count)
            } else {
                self.devices = .serials(try devices.array().map { try $0.string() })
            }
        }
    }
}

/// A value of a scenario document with where it is, for messages that name the field.
struct ScenarioValue {
    let raw: JSONValue
    let path: String

    init(_ raw: JSONValue, path: String) {
        self.raw = raw
        self.path = path
    }

    /// Its fields, refusing any not in `known`.
    func object(known: Set<String>) throws -> [String: ScenarioValue] {
        guard case .object(let object) = raw else { throw Scenario.invalid(path, "is not an object") }
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw Scenario.invalid(
                path.isEmpty ? unknown : path + "." + unknown,
                "is not a field of it; its fields are \(known.sorted().joined(separator: ", "))")
        }
        return object.reduce(into: [:]) { fields, field in
            fields[field.key] = ScenarioValue(field.value, path: path.isEmpty ? field.key : path + "." + field.key)
        }
    }

    func array() throws -> [ScenarioValue] {
        guard case .array(let array) = raw else { throw Scenario.invalid(path, "is not an array") }
        return array.enumerated().map { ScenarioValue($0.element, path: "\(path)[\($0.offset)]") }
    }

    func string() throws -> String {
        guard case .string(let text) = raw else { throw Scenario.invalid(path, "is not a string") }
        return text
    }

    func bool() throws -> Bool {
        guard case .bool(let flag) = raw else { throw Scenario.invalid(path, "is not true or false") }
        return flag
    }

    /// An ISO 8601 duration (`P5D`) or seconds, above zero.
    func duration() throws -> TimeInterval {
        let seconds: TimeInterval? =
            switch raw {
            case .string(let text): ISODuration.seconds(text)
            case .integer(let number): Double(number)
            case .number(let number): number
            default: nil
            }
        guard let seconds, seconds.isFinite, seconds > 0 else {
            throw Scenario.invalid(path, "is an ISO 8601 duration (\"P5D\") or seconds above zero")
        }
        return seconds
    }

    /// The value as JSON text again, for the types that read themselves.
    func json() throws -> Data {
        try DEPJSON.encode(raw)
    }
}

/// Any JSON value, its kinds kept apart (`true` is no number, `1` no flag).
enum JSONValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let integer): try container.encode(integer)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }
}
