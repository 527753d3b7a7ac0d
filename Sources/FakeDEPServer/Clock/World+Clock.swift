import DEPWire
public import Foundation
import GRDB

extension World {
    /// What the world's clock reads.
    public func clockReading() -> ClockReading { clock.reading }

    /// Moves the world's business time forward by `seconds` and answers what became due on the
    /// way; a negative or too large move changes nothing.
    public func advanceClock(by seconds: TimeInterval) async throws -> ClockAdvance {
        try await moveClock { state, base in try state.advance(by: seconds, base: base) }
    }

    /// Moves the world's business time forward to `date` and answers what became due on the way;
    /// a date before the world's time changes nothing.
    public func setClock(to date: Date) async throws -> ClockAdvance {
        try await moveClock { state, base in try state.set(to: date, base: base) }
    }

    /// Holds the world's business time where it is until `unfreezeClock`; advancing it still works.
    public func freezeClock() async throws -> ClockReading {
        _ = try await moveClock { state, base in state.freeze(base: base) }
        return clock.reading
    }

    /// Lets the world's business time run again from where it was held.
    public func unfreezeClock() async throws -> ClockReading {
        _ = try await moveClock { state, base in state.unfreeze(base: base) }
        return clock.reading
    }

    /// Changes the clock and keeps its state in the store, in one step: a refused change or a
    /// failed write leaves both as they were. Store writes run one at a time, so the span read
    /// for what became due is exactly the one this change moved over.
    private func moveClock(_ move: @escaping @Sendable (inout ClockState, Date) throws -> Void) async throws
        -> ClockAdvance
    {
        try await store.write { [clock] db in
            let (before, after) = try clock.update { state, base in
                let before = state.now(base: base)
                try move(&state, base)
                try StoredClock(state).save(db)
                return (before, state.now(base: base))
            }
            // Read outside the clock's lock (it scans the devices), inside the same transaction.
            return ClockAdvance(now: after, due: try Self.due(after: before, upTo: after, db))
        }
    }

    /// What fell due in the span (`start`, `end`], in order: the instant a token expires and the
    /// instant a provisional period ends already count as expired and ended, as the rules that
    /// check them do.
    static func due(after start: Date, upTo end: Date, _ db: Database) throws -> [DueEvent] {
        guard end.unixSeconds > start.unixSeconds else { return [] }
        let span: StatementArguments = [start.unixSeconds, end.unixSeconds]
        let tokens = try Row.fetchAll(
            db, sql: "SELECT token_expiry, name FROM servers WHERE token_expiry > ? AND token_expiry <= ?",
            arguments: span
        ).map { DueEvent(at: Date(unixSeconds: $0[0]), kind: .tokenExpired, server: $0[1]) }
        let provisional = try Row.fetchAll(
            db,
            sql: """
                SELECT provisional_until, serial FROM devices
                WHERE provisional_until > ? AND provisional_until <= ? AND released IS NULL
                """,
            arguments: span
        ).map { DueEvent(at: Date(unixSeconds: $0[0]), kind: .provisionalPeriodEnded, serial: $0[1]) }
        return (tokens + provisional).sorted { $0.order < $1.order }
    }
}

extension DueEvent {
    /// When it fell due, then what, then what it concerns: the order an advance reports in.
    fileprivate var order: (Date, String, String) { (at, kind.rawValue, server ?? serial ?? "") }
}

/// A clock's state as the world's store keeps it (`settings`, key `clock`), so a world kept in
/// a file reopens at the time it had reached rather than going back to real time.
struct StoredClock: Codable {
    var offset: Double
    /// Unix seconds, fraction included.
    var frozenAt: Double?

    enum CodingKeys: String, CodingKey {
        case offset, frozenAt = "frozen_at"
    }

    init(_ state: ClockState) {
        offset = state.offset
        frozenAt = state.frozenAt?.timeIntervalSince1970
    }

    var state: ClockState {
        ClockState(offset: offset, frozenAt: frozenAt.map(Date.init(timeIntervalSince1970:)))
    }

    func save(_ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO settings (key, value) VALUES ('clock', ?)",
            arguments: [try DEPJSON.encodeString(self)])
    }

    /// The state kept in the store; running at real time when none was kept.
    static func load(_ db: Database) throws -> ClockState {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'clock'") else {
            return ClockState()
        }
        return try DEPJSON.decode(StoredClock.self, from: json).state
    }
}
