public import Foundation
import GRDB

/// The outbox: events written in the transaction of the page that made them, kept until every
/// target has them. Each target (`webhook`, `exec`, `follow`) takes them in order and keeps its
/// own place (`delivered_through`); an event one target refused too often is copied to the
/// dead letters and its place moves past it.
///
/// Events are made only while some target is set: a store nobody listens to fills no outbox.
extension LocalStore {
    /// The outbox's tables.
    static func addOutbox(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT NOT NULL UNIQUE,
                    topic TEXT NOT NULL,
                    created REAL NOT NULL,
                    body BLOB NOT NULL);
                CREATE TABLE event_targets (
                    name TEXT PRIMARY KEY,
                    delivered_through INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    refusals INTEGER NOT NULL DEFAULT 0,
                    next_attempt REAL,
                    last_error TEXT,
                    last_delivered_id TEXT,
                    last_delivered REAL) WITHOUT ROWID;
                CREATE TABLE dead_letters (
                    target TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    event_id TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    created REAL NOT NULL,
                    body BLOB NOT NULL,
                    attempts INTEGER NOT NULL,
                    last_error TEXT NOT NULL,
                    failed REAL NOT NULL,
                    PRIMARY KEY (target, seq)) WITHOUT ROWID;
                """)
    }

    /// Starts keeping events for `target`, from the next event made on; a target already kept
    /// keeps its place.
    public func addEventTarget(_ target: EventTargetName) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO event_targets (name, delivered_through)
                    VALUES (?, coalesce((SELECT max(seq) FROM outbox), 0)) ON CONFLICT (name) DO NOTHING
                    """, arguments: [target.rawValue])
        }
    }

    /// Stops keeping events for `target`: its place and dead letters go, and events only it
    /// still needed.
    public func removeEventTarget(_ target: EventTargetName) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM event_targets WHERE name = ?", arguments: [target.rawValue])
            try db.execute(sql: "DELETE FROM dead_letters WHERE target = ?", arguments: [target.rawValue])
            try Outbox.prune(db)
        }
    }

    /// The targets events are kept for.
    public func eventTargets() async throws -> [EventTargetName] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT name FROM event_targets ORDER BY name").compactMap(
                EventTargetName.init(rawValue:))
        }
    }

    /// Up to `limit` events after `sequence`, oldest first.
    public func events(after sequence: Int64, limit: Int = 100) async throws -> [OutboxEvent] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Outbox.columns) FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [sequence, limit]
            ).map(Outbox.event)
        }
    }

    /// The place of event `eventID` in the outbox, if the outbox still has it.
    public func sequence(ofEvent eventID: String) async throws -> Int64? {
        try await read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM outbox WHERE event_id = ?", arguments: [eventID])
        }
    }

    /// Where `target` stands, if events are kept for it.
    public func delivery(of target: EventTargetName) async throws -> TargetDelivery? {
        try await read { db in try Outbox.delivery(of: target, db) }
    }

    /// The next event `target` has not had, after `sequence` if that is further (events sent
    /// but not yet noted), with where its delivery stands. One at a time: an event may be a
    /// megabyte, and a read does not wait for the writer.
    func nextEvent(for target: EventTargetName, after sequence: Int64?) async throws
        -> (OutboxEvent, TargetDelivery)?
    {
        try await read { db in
            guard let delivery = try Outbox.delivery(of: target, db) else { return nil }
            let row = try Row.fetchOne(
                db, sql: "SELECT \(Outbox.columns) FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1",
                arguments: [max(delivery.deliveredThrough, sequence ?? 0)])
            return row.map { (Outbox.event($0), delivery) }
        }
    }

    /// Notes that `target` has `event`: its place moves past it, and the outbox forgets events
    /// every target has.
    public func markDelivered(_ event: OutboxEvent, to target: EventTargetName, at now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE event_targets SET delivered_through = max(delivered_through, ?), attempts = 0,
                        refusals = 0, next_attempt = NULL, last_error = NULL, last_delivered_id = ?,
                        last_delivered = ?
                    WHERE name = ?
                    """, arguments: [event.sequence, event.eventID, now.storeValue, target.rawValue])
            try Outbox.prune(db)
        }
    }

    /// Notes a failed try of `target`'s next event; `refused` counts it towards the dead letters.
    func recordFailure(to target: EventTargetName, reason: String, refused: Bool, retryAt: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE event_targets SET attempts = attempts + 1, refusals = refusals + ?, next_attempt = ?,
                        last_error = ?
                    WHERE name = ?
                    """, arguments: [refused ? 1 : 0, retryAt.storeValue, reason, target.rawValue])
        }
    }

    /// Moves `event` to `target`'s dead letters, and `target`'s place past it.
    func deadLetter(_ event: OutboxEvent, for target: EventTargetName, reason: String, at now: Date) async throws {
        try await write { db in
            let attempts =
                try Int.fetchOne(
                    db, sql: "SELECT attempts + 1 FROM event_targets WHERE name = ?", arguments: [target.rawValue])
                ?? 1
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO dead_letters
                        (target, seq, event_id, topic, created, body, attempts, last_error, failed)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    target.rawValue, event.sequence, event.eventID, event.topic, event.createdAt.storeValue,
                    event.body, attempts, reason, now.storeValue,
                ])
            try db.execute(
                sql: """
                    UPDATE event_targets SET delivered_through = max(delivered_through, ?), attempts = 0,
                        refusals = 0, next_attempt = NULL, last_error = NULL
                    WHERE name = ?
                    """, arguments: [event.sequence, target.rawValue])
            try Outbox.prune(db)
        }
    }

    /// The dead letters, of one target or all, oldest first.
    public func deadLetters(for target: EventTargetName? = nil) async throws -> [DeadLetter] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT target, seq, event_id, topic, created, body, attempts, last_error, failed
                    FROM dead_letters WHERE ?1 IS NULL OR target = ?1 ORDER BY seq, target
                    """, arguments: [target?.rawValue]
            ).compactMap { row in
                guard let target = EventTargetName(rawValue: row[0]) else { return nil }
                return DeadLetter(
                    target: target,
                    event: OutboxEvent(
                        sequence: row[1], eventID: row[2], topic: row[3],
                        createdAt: Date(timeIntervalSince1970: row[4]),
                        body: row[5]),
                    attempts: row[6], lastError: row[7], failedAt: Date(timeIntervalSince1970: row[8]))
            }
        }
    }

    /// Forgets a dead letter once its target has it after all.
    func removeDeadLetter(_ letter: DeadLetter) async throws {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM dead_letters WHERE target = ? AND seq = ?",
                arguments: [letter.target.rawValue, letter.event.sequence])
        }
    }

    /// Notes one more failed try of a dead letter.
    func recordDeadLetterFailure(_ letter: DeadLetter, reason: String, at now: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE dead_letters SET attempts = attempts + 1, last_error = ?, failed = ?
                    WHERE target = ? AND seq = ?
                    """, arguments: [reason, now.storeValue, letter.target.rawValue, letter.event.sequence])
        }
    }

    /// What `depsync status` shows of the outbox.
    public func outboxStatus() async throws -> OutboxStatus {
        try await read { db in
            var status = OutboxStatus()
            status.stored = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") ?? 0
            for name in try String.fetchAll(db, sql: "SELECT name FROM event_targets ORDER BY name") {
                guard let target = EventTargetName(rawValue: name), let delivery = try Outbox.delivery(of: target, db)
                else { continue }
                status.targets.append(delivery)
            }
            return status
        }
    }
}

/// The outbox's statements that run inside another write (a page's transaction).
enum Outbox {
    static let columns = "seq, event_id, topic, created, body"

    /// The largest number of device changes in one `depsync.DevicesChanged` event: a full fetch
    /// that removes a whole organisation makes many events, none too large to post.
    static let changesPerEvent = 1000

    /// Whether any target is set, so that events are to be made.
    static func isListenedTo(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM event_targets)") ?? false
    }

    /// Appends one event, its id made here and written into its body by `body`.
    static func append(
        _ db: Database, topic: EventTopic, at now: Date, body: (_ eventID: String) throws -> Data
    ) throws {
        let eventID = UUID().uuidString.lowercased()
        try db.execute(
            sql: "INSERT INTO outbox (event_id, topic, created, body) VALUES (?, ?, ?, ?)",
            arguments: [eventID, topic.rawValue, now.storeValue, try body(eventID)])
    }

    /// Forgets the events every target has had (all of them once no target is left); dead
    /// letters keep their own copy.
    static func prune(_ db: Database) throws {
        try db.execute(
            sql: """
                DELETE FROM outbox
                WHERE seq <= coalesce((SELECT min(delivered_through) FROM event_targets), 9223372036854775807)
                """)
    }

    static func event(_ row: Row) -> OutboxEvent {
        OutboxEvent(
            sequence: row[0], eventID: row[1], topic: row[2], createdAt: Date(timeIntervalSince1970: row[3]),
            body: row[4])
    }

    static func delivery(of target: EventTargetName, _ db: Database) throws -> TargetDelivery? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT delivered_through, attempts, refusals, next_attempt, last_error, last_delivered_id,
                        last_delivered,
                        (SELECT count(*) FROM outbox WHERE seq > delivered_through),
                        (SELECT count(*) FROM dead_letters WHERE target = name)
                    FROM event_targets WHERE name = ?
                    """, arguments: [target.rawValue])
        else { return nil }
        return TargetDelivery(
            target: target, deliveredThrough: row[0], attempts: row[1], refusals: row[2],
            nextAttempt: Date(storeValue: row[3]), lastError: row[4], lastDeliveredID: row[5],
            lastDelivered: Date(storeValue: row[6]), pending: row[7], failed: row[8])
    }
}
