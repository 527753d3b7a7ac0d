import DEPWire
import Foundation
import GRDB

/// What the registry of worlds asks of one world: to reset it, find its credentials, keep it.
extension World {
    /// Empties the store and opens it afresh, planted with `seed`: a new world on the same store,
    /// with new sessions and a new cursor key, so no credential or cursor of the old one is
    /// accepted (a reused server id must not revive an old cursor), and its clock back at real
    /// time (nothing dated is left that it could contradict).
    func reset(to seed: WorldSeed) async throws -> World {
        try await store.write { db in try World.emptyTables(db) }
        sessions.closeAll()
        accessTokens.revokeAll()
        let fresh = try await World(databasePath: databasePath, clock: clock.base, settings: settings)
        try await fresh.plant(seed)
        return fresh
    }

    /// Empties the store and loads the snapshot at `url` into it, in one transaction (a refused
    /// snapshot changes nothing): the world it was, with new sessions and its clock at the
    /// snapshot's time.
    func reload(from url: URL) async throws -> World {
        let base = clock.base.now
        try await store.write { db in
            try World.emptyTables(db)
            _ = try WorldSnapshot.load(from: url, into: db, base: base, tokens: .keep)
        }
        sessions.closeAll()
        accessTokens.revokeAll()
        return try await World(store: store, databasePath: databasePath, clock: clock.base, settings: settings)
    }

    /// A world in a new store at `databasePath` (`:memory:` for none) loaded from the snapshot at
    /// `url`, and the snapshot's header.
    static func load(
        snapshot url: URL, databasePath: String, clock: any TimeSource, settings: Settings,
        tokens: WorldSnapshot.Tokens
    ) async throws -> (World, WorldSnapshot.Header) {
        let store = try Store(path: databasePath)
        let base = clock.now
        let header = try await store.write { db in
            try WorldSnapshot.load(from: url, into: db, base: base, tokens: tokens)
        }
        return (try await World(store: store, databasePath: databasePath, clock: clock, settings: settings), header)
    }

    /// Deletes every row, children first (devices refer to orders and servers), and the id counters.
    private static func emptyTables(_ db: Database) throws {
        for table in [
            "audit_events", "activities", "events", "profiles", "devices", "servers", "orders", "organisation",
            "api_accounts", "settings", "sqlite_sequence",
        ] {
            try db.execute(sql: "DELETE FROM \(table)")
        }
    }

    /// The consumer keys of the tokens this world's servers hold.
    func consumerKeys() async throws -> [String] {
        try await store.read { db in
            try String.fetchAll(db, sql: "SELECT consumer_key FROM servers WHERE consumer_key IS NOT NULL")
        }
    }

    /// Whether this world holds the device activity `id`.
    func hasActivity(_ id: String) async throws -> Bool {
        try await store.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM activities WHERE id = ?", arguments: [id]) == true
        }
    }

    /// Whether one of this world's servers holds a token with `consumerKey`.
    func hasServer(consumerKey: String) async throws -> Bool {
        try await store.read { db in try MDMServerRecord.find(db, consumerKey: consumerKey) != nil }
    }

    /// The name of the server whose live session `token` is, if any (its idle time is not
    /// refreshed). From memory: the journal asks it of every DEP call.
    func serverName(forSession token: String) -> String? {
        sessions.serverNameIfOpen(token, at: clock.now)
    }

    /// The name of the server that holds a token with `consumerKey`, if any.
    func serverName(forConsumerKey consumerKey: String) async throws -> String? {
        try await store.read { db in try MDMServerRecord.find(db, consumerKey: consumerKey)?.name }
    }

    /// Whether `token` is a live session of this world (its idle time is not refreshed).
    func hasSession(_ token: String) -> Bool {
        sessions.isOpen(token, at: clock.now)
    }

    /// Writes what the world is (and the scenario it was made from) into its own store, so a kept
    /// world is found again after a restart.
    func keep(_ summary: WorldSummary, scenario: Scenario? = nil) async throws {
        let json = try DEPJSON.encodeString(summary)
        let scenarioJSON = try scenario.map { String(decoding: try $0.json(), as: UTF8.self) }
        try await store.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES ('world', ?)", arguments: [json])
            if let scenarioJSON {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO settings (key, value) VALUES ('scenario', ?)",
                    arguments: [scenarioJSON])
            }
        }
    }

    /// The scenario `keep` wrote.
    func keptScenario() async throws -> Scenario? {
        let json = try await store.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'scenario'")
        }
        return try json.map { try Scenario(json: Data($0.utf8)) }
    }

    /// Empties the store and sets it up as `scenario` says: a new world on the same store.
    func reset(to scenario: Scenario) async throws -> World {
        let fresh = try await reset(to: WorldSeed.none)
        try await fresh.plant(scenario)
        if let summary = try await keptSummary() { try await fresh.keep(summary, scenario: scenario) }
        return fresh
    }

    /// What the world is, as `keep` wrote it.
    func keptSummary() async throws -> WorldSummary? {
        let json = try await store.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'world'")
        }
        return try json.map { try DEPJSON.decode(WorldSummary.self, from: Data($0.utf8)) }
    }

    /// Gives a world without an organisation the mock organisation's identity (no devices).
    func createMockOrganisationIdentity() async throws {
        let identity = try MockData.organisation()
        try await store.write { db in
            if try Organisation.load(db) == nil { try identity.save(db) }
        }
    }
}
