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
        try await store.write { db in
            // Children first: devices refer to orders and servers.
            for table in ["events", "profiles", "devices", "servers", "orders", "organisation", "settings"] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
        }
        sessions.closeAll()
        let fresh = try await World(databasePath: databasePath, clock: clock.base, settings: settings)
        try await fresh.plant(seed)
        return fresh
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

    /// Writes what the world is into its own store, so a kept world is found again after a restart.
    func keep(_ summary: WorldSummary) async throws {
        let json = try DEPJSON.encodeString(summary)
        try await store.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES ('world', ?)", arguments: [json])
        }
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
