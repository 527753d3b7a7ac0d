import DEPCrypto
public import DEPWire
public import Foundation
import GRDB

/// The form an API account's private key is handed out in.
public enum APIAccountKeyFormat: String, Codable, Sendable, CaseIterable {
    /// Apple's download: PKCS#8 bytes under an `EC PRIVATE KEY` label (peers §5.2), the default.
    case apple
    /// Plain PKCS#8 PEM (`PRIVATE KEY`), which every JWT library reads.
    case pkcs8
}

/// An API account as the portal lists it: never its key.
public struct APIAccountSummary: Codable, Sendable, Hashable {
    public var clientID: String
    public var keyID: String
    public var name: String
    public var service: ABMService
    /// The one scope its tokens may ask for.
    public var scope: String
    public var created: Date
    /// When it was revoked; its client id and key then get no token.
    public var revoked: Date?

    init(_ record: APIAccountRecord) {
        clientID = record.clientID
        keyID = record.keyID
        name = record.name
        service = record.service
        scope = record.service.scope
        created = Date(unixSeconds: record.created)
        revoked = record.revoked.map { Date(unixSeconds: $0) }
    }

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id", keyID = "key_id", name, service, scope, created, revoked
    }
}

/// A new API account, with its private key: the only time the portal hands it out.
public struct CreatedAPIAccount: Codable, Sendable, Hashable {
    public var clientID: String
    public var keyID: String
    public var name: String
    public var service: ABMService
    public var scope: String
    public var created: Date
    /// The P-256 private key, PEM, in `keyFormat`.
    public var privateKey: String
    public var keyFormat: APIAccountKeyFormat

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id", keyID = "key_id", name, service, scope, created
        case privateKey = "private_key", keyFormat = "key_format"
    }
}

extension World {
    /// How many API accounts an organisation may hold at once (peers §5.2); revoked ones do not count.
    public static let maximumAPIAccounts = 50

    /// Creates an API account for `service`: a client id, a key id and a fresh P-256 key, whose
    /// public half the world keeps and whose private half is answered in `keyFormat`, once.
    /// `409 LIMIT_REACHED` when the organisation already holds `maximumAPIAccounts`.
    public func createAPIAccount(name: String, service: ABMService, keyFormat: APIAccountKeyFormat = .apple)
        async throws -> CreatedAPIAccount
    {
        try World.requirePrintable(name, "An API account's name")
        guard !name.isEmpty, name.count <= 200 else {
            throw PortalError(.invalidRequest, "An API account's name has 1 to 200 characters.")
        }
        let key = try ECPrivateKey.generateP256()
        let privateKey = try keyFormat == .apple ? key.applePEM : key.pkcs8PEM
        let record = APIAccountRecord(
            clientID: service.clientID(uuid: UUID().uuidString.lowercased()), name: name, service: service,
            keyID: UUID().uuidString.lowercased(), publicKey: try key.publicKey.der, created: now)
        try await store.write { db in
            _ = try organisation(db)
            let active = try APIAccountRecord.activeCount(db)
            guard active < World.maximumAPIAccounts else {
                throw PortalError(
                    .limitReached,
                    "The organisation already has \(active) API accounts, the most Apple allows; revoke one "
                        + "(`fakedep api-account revoke CLIENT_ID`) before creating another.")
            }
            try record.insert(db)
        }
        return CreatedAPIAccount(
            clientID: record.clientID, keyID: record.keyID, name: name, service: service, scope: service.scope,
            created: Date(unixSeconds: record.created), privateKey: privateKey, keyFormat: keyFormat)
    }

    /// Every API account, revoked ones too, oldest first.
    public func listAPIAccounts() async throws -> [APIAccountSummary] {
        try await store.read { db in try APIAccountRecord.all(db).map(APIAccountSummary.init) }
    }

    /// Revokes the account with `clientID`: the token endpoint refuses its assertions and the
    /// `/v1/` API its access tokens from now on. Revoking a revoked account changes nothing.
    public func revokeAPIAccount(_ clientID: String) async throws {
        let now = self.now
        try await store.write { db in
            guard let account = try APIAccountRecord.find(db, clientID: clientID) else {
                throw PortalError(
                    .notFound,
                    "No API account has the client id \"\(clientID.escapingControlCharacters)\"; list them with "
                        + "`fakedep api-account list`.")
            }
            if account.revoked == nil { try APIAccountRecord.revoke(db, clientID: clientID, at: now) }
        }
    }

    /// The account with `clientID`, revoked or not.
    func apiAccount(clientID: String) async throws -> APIAccountRecord? {
        try await store.read { db in try APIAccountRecord.find(db, clientID: clientID) }
    }

    /// The client ids of every account of this world (a credential lives in one world only).
    func apiClientIDs() async throws -> [String] {
        try await store.read { db in try String.fetchAll(db, sql: "SELECT client_id FROM api_accounts") }
    }
}
