public import DEPWire
public import Foundation
import GRDB

/// The server token as the store keeps it.
public struct StoredToken: Sendable, Hashable {
    public var tokens: OAuthTokens
    public var imported: Date
}

extension LocalStore {
    /// The imported server token, if any.
    public func token() async throws -> StoredToken? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT consumer_key, consumer_secret, access_token, access_secret, access_token_expiry, imported
                    FROM token WHERE id = 1
                    """
            ).map { row in
                StoredToken(
                    tokens: OAuthTokens(
                        consumerKey: row[0], consumerSecret: row[1], accessToken: row[2], accessSecret: row[3],
                        accessTokenExpiry: Date(timeIntervalSince1970: row[4])),
                    imported: Date(timeIntervalSince1970: row[5]))
            }
        }
    }

    /// Stores `tokens`, replacing any token before it.
    public func storeToken(_ tokens: OAuthTokens, at date: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO token
                        (id, consumer_key, consumer_secret, access_token, access_secret, access_token_expiry, imported)
                    VALUES (1, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    tokens.consumerKey, tokens.consumerSecret, tokens.accessToken, tokens.accessSecret,
                    tokens.accessTokenExpiry.storeValue, date.storeValue,
                ])
        }
    }

    /// A remembered value (the account's details, say).
    func setting(_ key: String) async throws -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key])
        }
    }

    func setSetting(_ key: String, _ value: String) async throws {
        try await write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }
}
