import DEPWire
public import Foundation

/// A scripted fault: which requests of a world it matches, when among them it fires, and what it
/// does instead of (or to) the answer. Read from JSON strictly: an unknown field, a count below
/// one or a status out of range is refused by name, so a typo never yields a rule that silently
/// never fires.
///
/// ```json
/// {"operation": "fetch_devices", "times": 2, "error": {"status": 503, "retry_after": 5}}
/// ```
public struct FaultRule: Sendable, Hashable {
    // What it matches; a field left out matches anything.
    /// An operation of the journal's vocabulary (`fetch_devices`, `session`, `portal_assign`…).
    public var operation: String?
    /// The name of the MDM server the request comes from.
    public var server: String?
    /// The HTTP method, in capitals.
    public var method: String?
    /// With a `devices` action: the one device whose result it sets (else every device named).
    public var serial: String?

    // When it fires among the requests it matches; with none of these, at each one.
    /// Only at the Nth.
    public var nth: Int?
    /// At the first N ("fail twice, then succeed" is `times: 2`); with `after`, at the N after those.
    public var times: Int?
    /// At every one after the first N (with `times`, only so many of them).
    public var after: Int?
    /// At each with this probability, drawn from a generator seeded with `seed`: the same
    /// requests meet the same faults on every run.
    public var probability: Double?
    public var seed: UInt64?
    /// World time after which the rule retires itself, in seconds from when it was added.
    public var ttl: TimeInterval?

    /// What it does.
    public var action: FaultAction

    public init(operation: String? = nil, server: String? = nil, method: String? = nil, action: FaultAction) {
        self.operation = operation
        self.server = server
        self.method = method
        self.action = action
    }

    /// Whether a request with these traits is one the rule is about.
    func matches(operation: String, server: String?, method: String) -> Bool {
        if case .devices = action, !FaultAction.perDeviceOperations.contains(operation) { return false }
        if case .misbehaviour(let misbehaviour) = action, !misbehaviour.applies(to: operation) { return false }
        return (self.operation == nil || self.operation == operation) && (self.server == nil || self.server == server)
            && (self.method == nil || self.method == method)
    }

    /// Whether it fires at the `count`th request it matches (from 1), given a draw in [0, 1).
    func fires(atMatch count: Int, draw: Double) -> Bool {
        if let nth, count != nth { return false }
        if let after, count <= after { return false }
        if let times, count > (after ?? 0) + times { return false }
        if let probability, draw >= probability { return false }
        return true
    }
}

extension FaultRule: Codable {
    private enum Key: String, CodingKey, CaseIterable {
        case operation, server, method, serial, nth, times, after, probability, seed, ttl
    }

    public init(from decoder: any Decoder) throws {
        try self.init(decoder, alsoKnown: [])
    }

    /// The rule within a listing of it (`FaultListing`), whose own fields sit beside the rule's.
    init(listingFrom decoder: any Decoder) throws {
        try self.init(decoder, alsoKnown: ["id", "added", "matched", "fired", "retired"])
    }

    private init(_ decoder: any Decoder, alsoKnown: Set<String>) throws {
        let fields = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(Key.allCases.map(\.rawValue) + FaultAction.Kind.allCases.map(\.rawValue))
        if let unknown = fields.allKeys.first(where: {
            !known.contains($0.stringValue) && !alsoKnown.contains($0.stringValue)
        }) {
            throw Self.invalid(
                "A fault rule has no field \"\(unknown.stringValue.escapingControlCharacters)\"; its fields are "
                    + "\(known.sorted().joined(separator: ", ")).")
        }
        let container = try decoder.container(keyedBy: Key.self)
        operation = try container.decodeIfPresent(String.self, forKey: .operation)
        server = try container.decodeIfPresent(String.self, forKey: .server)
        method = try container.decodeIfPresent(String.self, forKey: .method)
        serial = try container.decodeIfPresent(String.self, forKey: .serial)
        nth = try container.decodeIfPresent(Int.self, forKey: .nth)
        times = try container.decodeIfPresent(Int.self, forKey: .times)
        after = try container.decodeIfPresent(Int.self, forKey: .after)
        probability = try container.decodeIfPresent(Double.self, forKey: .probability)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed)
        if container.contains(.ttl) {
            let text = try? container.decode(String.self, forKey: .ttl)
            let seconds = try text.map { ISODuration.seconds($0) } ?? container.decode(Double.self, forKey: .ttl)
            guard let seconds, seconds.isFinite, seconds > 0 else {
                throw Self.invalid("A fault rule's ttl is an ISO 8601 duration (\"PT1H\") or seconds above zero.")
            }
            ttl = seconds
        }
        action = try FaultAction(from: decoder)
        try check()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(operation, forKey: .operation)
        try container.encodeIfPresent(server, forKey: .server)
        try container.encodeIfPresent(method, forKey: .method)
        try container.encodeIfPresent(serial, forKey: .serial)
        try container.encodeIfPresent(nth, forKey: .nth)
        try container.encodeIfPresent(times, forKey: .times)
        try container.encodeIfPresent(after, forKey: .after)
        try container.encodeIfPresent(probability, forKey: .probability)
        try container.encodeIfPresent(seed, forKey: .seed)
        try container.encodeIfPresent(ttl, forKey: .ttl)
        try action.encode(to: encoder)
    }

    /// Refuses a rule that cannot mean what it says.
    private func check() throws {
        if let operation, !JournalOperation.all.contains(operation) {
            throw Self.invalid(
                "A fault rule's operation \"\(operation.escapingControlCharacters)\" is not one of the journal's: "
                    + "\(JournalOperation.all.sorted().joined(separator: ", ")).")
        }
        if let method, method.isEmpty || method.contains(where: { !$0.isUppercase }) {
            throw Self.invalid("A fault rule's method is an HTTP method in capitals (GET, POST, PUT, DELETE).")
        }
        if let server { try World.requirePrintable(server, "A fault rule's server") }
        if case .devices = action {
            if let operation, !FaultAction.perDeviceOperations.contains(operation) {
                throw Self.invalid(
                    "A devices fault acts on an operation with a result per device ("
                        + "\(FaultAction.perDeviceOperations.sorted().joined(separator: ", "))), not \(operation).")
            }
        } else if serial != nil {
            throw Self.invalid("A fault rule's serial goes with a devices action.")
        }
        if case .misbehaviour(let misbehaviour) = action, let operation, !misbehaviour.applies(to: operation) {
            let allowed =
                misbehaviour.operations.map { $0.sorted().joined(separator: " and ") } ?? "DEP calls with a session"
            throw Self.invalid("The misbehaviour \(misbehaviour.rawValue) happens on \(allowed), not \(operation).")
        }
        if let serial { try World.requirePrintable(serial, "A fault rule's serial") }
        if let nth, nth < 1 { throw Self.invalid("A fault rule's nth counts from 1, not \(nth).") }
        if let times, times < 1 { throw Self.invalid("A fault rule's times is 1 or more, not \(times).") }
        if let after, after < 0 { throw Self.invalid("A fault rule's after is 0 or more, not \(after).") }
        guard nth == nil || (times == nil && after == nil) else {
            throw Self.invalid("A fault rule's nth goes alone, without times or after.")
        }
        if let probability, !(probability > 0 && probability <= 1) {
            throw Self.invalid("A fault rule's probability is above 0 and at most 1, not \(probability).")
        }
        if seed != nil, probability == nil { throw Self.invalid("A fault rule's seed goes with a probability.") }
    }

    static func invalid(_ message: String) -> PortalError { PortalError(.invalidRequest, message) }
}

/// Any key of a JSON object, to find the ones a type does not know.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
