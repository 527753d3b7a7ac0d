import GRDB

/// The organisation that owns the inventory: what `/account` reports about it (dep-api §3.1).
struct Organisation: Codable, Sendable, Hashable {
    var name: String
    var email: String
    var phone: String
    var address: String
    var orgID: String
    var orgIDHash: String
    var orgType: String
    var orgVersion: String
    /// The Apple Account of the portal user who issues tokens and assigns devices.
    var adminID: String
    /// Whether the latest program terms are accepted; `false` makes the API answer `T_C_NOT_SIGNED`.
    var termsSigned: Bool

    enum CodingKeys: String, CodingKey {
        case name, email, phone, address
        case orgID = "org_id", orgIDHash = "org_id_hash", orgType = "org_type", orgVersion = "org_version"
        case adminID = "admin_id", termsSigned = "terms_signed"
    }

    static func load(_ db: Database) throws -> Organisation? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT name, email, phone, address, org_id, org_id_hash, org_type, org_version, admin_id, terms_signed
                FROM organisation WHERE id = 1
                """
        ).map { row in
            Organisation(
                name: row[0], email: row[1], phone: row[2], address: row[3], orgID: row[4], orgIDHash: row[5],
                orgType: row[6], orgVersion: row[7], adminID: row[8], termsSigned: row[9])
        }
    }

    func save(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO organisation
                (id, name, email, phone, address, org_id, org_id_hash, org_type, org_version, admin_id, terms_signed)
                VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [name, email, phone, address, orgID, orgIDHash, orgType, orgVersion, adminID, termsSigned])
    }
}
