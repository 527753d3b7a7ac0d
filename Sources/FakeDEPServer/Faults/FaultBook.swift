import DEPWire
public import Foundation
import Synchronization

/// A world's fault rules, in the order they were added, with how often each has matched and
/// fired. Rules are checked in order and the first that fires acts; each counts the requests it
/// matched, so "the Nth" and "the first N" are its own.
final class FaultBook: Sendable {
    private struct Stored {
        var listing: FaultListing
        /// Draws the rule's probability and jitter: seeded, so runs repeat.
        var generator: SeededGenerator
    }

    private struct State {
        var rules: [Stored] = []
        var nextNumber = 1
    }

    private let state = Mutex(State())
    /// What misbehaviours leave for later pages.
    let lingering = LingeringFaults()

    /// Adds `rule` after the others, at world time `now`, and answers how it is listed.
    func add(_ rule: FaultRule, at now: Date) -> FaultListing {
        state.withLock { state in
            let listing = FaultListing(id: "f\(state.nextNumber)", rule: rule, added: now)
            state.nextNumber += 1
            state.rules.append(Stored(listing: listing, generator: SeededGenerator(seed: rule.seed ?? 0)))
            return listing
        }
    }

    /// Every rule, in order; those whose ttl has passed at `now` say they retired.
    func list(at now: Date) -> [FaultListing] {
        state.withLock { state in
            state.rules.map { stored in
                var listing = stored.listing
                listing.retired = listing.isRetired(at: now)
                return listing
            }
        }
    }

    /// Removes rule `id`, or `404 NOT_FOUND`.
    func remove(_ id: String) throws {
        try state.withLock { state in
            guard let index = state.rules.firstIndex(where: { $0.listing.id == id }) else {
                throw PortalError(
                    .notFound,
                    "No fault rule has the id \"\(id.escapingControlCharacters)\"; list them with GET …/faults.")
            }
            state.rules.remove(at: index)
        }
    }

    func removeAll() {
        state.withLock { $0.rules.removeAll() }
    }

    /// Whether any live rule names a server: only then is a request's server looked up first.
    func namesServers(at now: Date) -> Bool {
        state.withLock { state in
            state.rules.contains { $0.listing.rule.server != nil && !$0.listing.isRetired(at: now) }
        }
    }

    /// The rule that fires for a request with these traits, if any, and the latency jitter drawn
    /// for it; counts the match of every live rule checked on the way.
    func fire(operation: String, server: String?, method: String, at now: Date) -> FiredFault? {
        state.withLock { state in
            guard !state.rules.isEmpty else { return nil }
            for index in state.rules.indices {
                let rule = state.rules[index].listing.rule
                guard !state.rules[index].listing.isRetired(at: now),
                    rule.matches(operation: operation, server: server, method: method)
                else { continue }
                state.rules[index].listing.matched += 1
                let draw = rule.probability == nil ? 0 : Double.random(in: 0..<1, using: &state.rules[index].generator)
                guard rule.fires(atMatch: state.rules[index].listing.matched, draw: draw) else { continue }
                state.rules[index].listing.fired += 1
                var jitter = 0
                if case .latency(_, let most) = rule.action, most > 0 {
                    jitter = Int.random(in: 0...most, using: &state.rules[index].generator)
                }
                return FiredFault(
                    id: state.rules[index].listing.id, action: rule.action, serial: rule.serial,
                    jitterMilliseconds: jitter)
            }
            return nil
        }
    }
}

/// A rule that fired for one request.
struct FiredFault: Sendable {
    let id: String
    let action: FaultAction
    /// For a `devices` action: the one device it is for.
    let serial: String?
    let jitterMilliseconds: Int

    /// How the request's journal entry names it.
    var journalName: String { "\(id): \(action.summary)" + (serial.map { " for \($0)" } ?? "") }
}

/// A fault rule as `GET …/faults` lists it: the rule's own fields, its id, and its counts.
public struct FaultListing: Sendable, Hashable {
    public var id: String
    public var rule: FaultRule
    /// World time when it was added.
    public var added: Date
    /// Requests it matched, and those among them it acted on.
    public var matched = 0
    public var fired = 0
    /// Whether its ttl has passed.
    public var retired = false

    func isRetired(at now: Date) -> Bool {
        guard let ttl = rule.ttl else { return false }
        return now >= added.addingTimeInterval(ttl)
    }
}

extension FaultListing: Codable {
    private enum Key: String, CodingKey {
        case id, added, matched, fired, retired
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        id = try container.decode(String.self, forKey: .id)
        added = try container.decode(Date.self, forKey: .added)
        matched = try container.decode(Int.self, forKey: .matched)
        fired = try container.decode(Int.self, forKey: .fired)
        retired = try container.decode(Bool.self, forKey: .retired)
        rule = try FaultRule(listingFrom: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(id, forKey: .id)
        try rule.encode(to: encoder)
        try container.encode(added, forKey: .added)
        try container.encode(matched, forKey: .matched)
        try container.encode(fired, forKey: .fired)
        try container.encode(retired, forKey: .retired)
    }
}
