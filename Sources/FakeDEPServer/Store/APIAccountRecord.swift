import DEPWire
import Foundation
import GRDB

/// An API account of Apple's Business/School Manager API as the portal keeps it: its identity,
/// the public half of its P-256 key, and when it was revoked (peers §5.2).
struct APIAccountRecord: Sendable, Hashable {
    /// `BUSINESSAPI.<uuid>` or `SCHOOLAPI.<uuid>`.
    var clientID: String
    var name: String
    var service: ABMService
    /// The `kid` its client assertions carry: a lower-case uuid.
    var keyID: String
    /// DER SubjectPublicKeyInfo.
    var publicKey: Data
    var created: Int64
    /// World time it was revoked; `nil` while it works.
    var revoked: Int64?

    private static let columns = "client_id, name, service, key_id, public_key, created, revoked"

    private init(row: Row) {
        clientID = row[0]
        name = row[1]
        // The store only ever holds a service's raw value; an unknown one reads as business.
        service = ABMService(rawValue: row[2]) ?? .business
        keyID = row[3]
        publicKey = row[4]
        created = row[5]
        revoked = row[6]
    }

    init(clientID: String, name: String, service: ABMService, keyID: String, publicKey: Data, created: Int64) {
        self.clientID = clientID
        self.name = name
        self.service = service
        self.keyID = keyID
        self.publicKey = publicKey
        self.created = created
        revoked = nil
    }

    func insert(_ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO api_accounts (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [clientID, name, service.rawValue, keyID, publicKey, created, revoked])
    }

    static func find(_ db: Database, clientID: String) throws -> APIAccountRecord? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM api_accounts WHERE client_id = ?", arguments: [clientID])
            .map(APIAccountRecord.init(row:))
    }

    /// Every account, oldest first.
    static func all(_ db: Database) throws -> [APIAccountRecord] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM api_accounts ORDER BY created, client_id")
            .map(APIAccountRecord.init(row:))
    }

    /// How many accounts are not revoked.
    static func activeCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM api_accounts WHERE revoked IS NULL") ?? 0
    }

    /// Marks the account revoked at `time`.
    static func revoke(_ db: Database, clientID: String, at time: Int64) throws {
        try db.execute(sql: "UPDATE api_accounts SET revoked = ? WHERE client_id = ?", arguments: [time, clientID])
    }
}
