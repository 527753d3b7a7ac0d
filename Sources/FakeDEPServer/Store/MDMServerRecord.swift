import DEPWire
import Foundation
import GRDB

/// An MDM server as the portal knows it: its identity, the public key it uploaded and the
/// OAuth credentials of its current token.
struct MDMServerRecord: Sendable, Hashable {
    var id: Int64
    /// 32 upper-case hex characters.
    var uuid: String
    var name: String
    /// DER of the uploaded certificate.
    var certificate: Data?
    /// Whether the server may release devices through `/devices/disown`.
    var mayDisown: Bool
    /// The credentials of the token downloaded last; `nil` before the first download.
    var tokens: OAuthTokens?
    var tokenIssued: Int64?
    var created: Int64
    var serviceDiscoveryURL: String?
    var serviceDiscoveryUpdated: Int64?

    static let columns = """
        id, uuid, name, certificate, may_disown, consumer_key, consumer_secret, access_token, access_secret,
        token_issued, token_expiry, created, ade_url, ade_updated
        """

    init(row: Row) {
        id = row[0]
        uuid = row[1]
        name = row[2]
        certificate = row[3]
        mayDisown = row[4]
        if let consumerKey: String = row[5], let expiry: Int64 = row[10] {
            tokens = OAuthTokens(
                consumerKey: consumerKey, consumerSecret: row[6], accessToken: row[7], accessSecret: row[8],
                accessTokenExpiry: Date(unixSeconds: expiry))
        }
        tokenIssued = row[9]
        created = row[11]
        serviceDiscoveryURL = row[12]
        serviceDiscoveryUpdated = row[13]
    }

    static func find(_ db: Database, sql condition: String, _ arguments: StatementArguments) throws -> MDMServerRecord?
    {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM servers WHERE \(condition)", arguments: arguments)
            .map { MDMServerRecord(row: $0) }
    }

    /// The server whose uuid or name (case-insensitive) is `reference`.
    static func find(_ db: Database, reference: String) throws -> MDMServerRecord? {
        try find(db, sql: "uuid = ? OR name = ? COLLATE NOCASE", [reference.uppercased(), reference])
    }

    static func find(_ db: Database, id: Int64) throws -> MDMServerRecord? {
        try find(db, sql: "id = ?", [id])
    }

    static func find(_ db: Database, consumerKey: String) throws -> MDMServerRecord? {
        try find(db, sql: "consumer_key = ?", [consumerKey])
    }

    static func all(_ db: Database) throws -> [MDMServerRecord] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM servers ORDER BY created, id").map {
            MDMServerRecord(row: $0)
        }
    }
}
