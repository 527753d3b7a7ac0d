import DEPWire
import GRDB

/// A server token the portal revoked, remembered by its consumer key so that `/session` can say
/// why the key is refused. Kept in `settings` under `revoked-token:<consumer key>`, so it needs
/// no table of its own and goes wherever the world's state goes.
struct RevokedToken: Codable, Sendable, Hashable {
    /// The name of the server that held it.
    var server: String
    /// When it was revoked, in the world's time (Unix seconds).
    var revoked: Int64

    private static func key(_ consumerKey: String) -> String { "revoked-token:" + consumerKey }

    /// Remembers the token with `consumerKey` as revoked.
    func save(consumerKey: String, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
            arguments: [Self.key(consumerKey), try DEPJSON.encodeString(self)])
    }

    /// The revoked token with `consumerKey`, if the portal revoked one.
    static func find(consumerKey: String, _ db: Database) throws -> RevokedToken? {
        guard
            let json = try String.fetchOne(
                db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key(consumerKey)])
        else { return nil }
        return try? DEPJSON.decode(RevokedToken.self, from: json)
    }
}
