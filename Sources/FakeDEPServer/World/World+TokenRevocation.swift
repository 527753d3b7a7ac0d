import DEPWire
import Foundation
import GRDB

extension World {
    /// Revokes a server's token, as an administrator does when a token leaked or its holder left
    /// (dep-api §1.5): the server keeps its certificate but holds no token, so `/session` refuses
    /// the old credentials as an unknown consumer key (401 `oauth_problem=consumer_key_unknown`),
    /// and its open sessions end. A new token can be downloaded again. Revoking a server that
    /// holds no token does nothing.
    public func revokeToken(_ reference: String) async throws {
        let now = self.now
        let id = try await store.write { db in
            let server = try requireServer(reference, db)
            guard let tokens = server.tokens else { return server.id }
            try RevokedToken(server: server.name, revoked: now).save(consumerKey: tokens.consumerKey, db)
            try db.execute(
                sql: """
                    UPDATE servers SET consumer_key = NULL, consumer_secret = NULL, access_token = NULL,
                    access_secret = NULL, token_issued = NULL, token_expiry = NULL WHERE id = ?
                    """,
                arguments: [server.id])
            return server.id
        }
        sessions.close(server: id)
    }

    /// The token with `consumerKey` this world's portal revoked, if it did.
    func revokedToken(consumerKey: String) async throws -> RevokedToken? {
        try await store.read { db in try RevokedToken.find(consumerKey: consumerKey, db) }
    }
}
