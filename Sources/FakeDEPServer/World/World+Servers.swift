import DEPCrypto
import DEPWire
public import Foundation
import GRDB

/// What the portal shows of an MDM server.
public struct MDMServerSummary: Codable, Sendable, Hashable {
    public var uuid: String
    public var name: String
    /// The common name of the uploaded certificate, if one was uploaded.
    public var certificateSubject: String?
    public var hasCertificate: Bool
    public var mayDisown: Bool
    public var tokenIssued: Date?
    public var tokenExpiry: Date?
    public var deviceCount: Int
    public var created: Date

    enum CodingKeys: String, CodingKey {
        case uuid, name
        case certificateSubject = "certificate_subject", hasCertificate = "has_certificate"
        case mayDisown = "may_disown", tokenIssued = "token_issued", tokenExpiry = "token_expiry"
        case deviceCount = "device_count", created
    }
}

/// A server token as the portal hands it out (dep-api §1.2).
public struct IssuedServerToken: Sendable {
    /// `<server>_Token_<time>_smime.p7m`.
    public var fileName: String
    /// The S/MIME text of the `.p7m` file.
    public var contents: String
    public var expiry: Date
}

extension World {
    /// Creates an MDM server, optionally with its public-key certificate (PEM or DER).
    public func createServer(
        name: String, certificate: Data? = nil, mayDisown: Bool = false, defaultFamilies: [String] = []
    ) async throws -> MDMServerSummary {
        let name = try Self.serverName(name)
        let der = try certificate.map(Self.certificateDER)
        let uuid = Self.makeServerUUID()
        let now = self.now
        return try await store.write { db in
            guard try MDMServerRecord.find(db, reference: name) == nil else {
                throw PortalError(.nameTaken, "An MDM server named \"\(name)\" exists already; choose another name.")
            }
            try db.execute(
                sql: """
                    INSERT INTO servers (uuid, name, certificate, may_disown, created, default_families)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [uuid, name, der, mayDisown, now, ""])
            let server = try requireServer(uuid, db)
            if !defaultFamilies.isEmpty {
                try Self.claimDefaultFamilies(defaultFamilies, for: server.id, at: now, db)
            }
            return try summary(of: server, db)
        }
    }

    /// Every MDM server, oldest first.
    public func listServers() async throws -> [MDMServerSummary] {
        try await store.read { db in try MDMServerRecord.all(db).map { try summary(of: $0, db) } }
    }

    /// The server named or numbered `reference` (its uuid or its name).
    public func showServer(_ reference: String) async throws -> MDMServerSummary {
        try await store.read { db in try summary(of: try requireServer(reference, db), db) }
    }

    /// Deletes a server: its devices are unassigned (a `deleted` event each on its log), its
    /// profiles and sessions end.
    public func deleteServer(_ reference: String) async throws {
        try await deleteServer(reference, refusing: nil)
    }

    /// Deletes a server; with `refusal`, throws it instead while devices are assigned to it.
    func deleteServer(_ reference: String, refusing refusal: (any Error & Sendable)?) async throws {
        let now = self.now
        let id = try await store.write { db in
            let server = try requireServer(reference, db)
            if let refusal,
                try Bool.fetchOne(db, sql: "SELECT 1 FROM devices WHERE server_id = ? LIMIT 1", arguments: [server.id])
                    == true
            {
                throw refusal
            }
            try db.execute(
                sql: """
                    INSERT INTO events (server_id, serial, op_type, op_date)
                    SELECT server_id, serial, 'deleted', ? FROM devices WHERE server_id = ? ORDER BY assigned_date, serial
                    """,
                arguments: [now, server.id])
            try AuditLog(db, at: now, by: .administrator).record(
                .deviceUnassignedFromServer,
                selecting: "SELECT serial, ? AS server_name FROM devices WHERE server_id = ? ORDER BY serial",
                [server.name, server.id])
            try db.execute(sql: "UPDATE devices SET \(Self.unassignment) WHERE server_id = ?", arguments: [server.id])
            try db.execute(sql: "DELETE FROM profiles WHERE server_id = ?", arguments: [server.id])
            try db.execute(sql: "DELETE FROM servers WHERE id = ?", arguments: [server.id])
            return server.id
        }
        sessions.close(server: id)
    }

    /// Uploads or replaces a server's public key: a PEM or DER X.509 certificate with an RSA key
    /// (dep-api §1.1). The current token keeps working until a new one is downloaded.
    public func uploadCertificate(_ bytes: Data, to reference: String) async throws -> MDMServerSummary {
        let der = try Self.certificateDER(bytes)
        return try await store.write { db in
            let server = try requireServer(reference, db)
            try db.execute(sql: "UPDATE servers SET certificate = ? WHERE id = ?", arguments: [der, server.id])
            return try summary(of: try requireServer(server.uuid, db), db)
        }
    }

    /// Downloads a new server token: fresh OAuth credentials valid for one year (or the world's
    /// scenario's `token_lifetime`), encrypted to the
    /// uploaded certificate as Apple's `.p7m` (dep-api §1.2, §1.6). The previous token stops
    /// working at `/session`, and open sessions end.
    public func downloadToken(_ reference: String) async throws -> IssuedServerToken {
        let issued = Date(unixSeconds: now)
        let (server, lifetime) = try await store.read { db in
            (try requireServer(reference, db), try World.tokenLifetime(db))
        }
        guard let der = server.certificate else {
            throw PortalError(
                .noCertificate, "Upload the MDM server's public key (a .pem certificate) before downloading its token.")
        }
        var generator = SystemRandomNumberGenerator()
        var generated = OAuthTokens.generate(issuedAt: issued, using: &generator)
        if let lifetime { generated.accessTokenExpiry = issued.addingTimeInterval(lifetime.rounded(.down)) }
        let tokens = generated
        let message = Data(TokenMessage.build(tokens).utf8)
        let envelope = try EnvelopedData.encrypt(message, to: try Certificate(der: der))
        try await store.write { db in
            try db.execute(
                sql: """
                    UPDATE servers SET consumer_key = ?, consumer_secret = ?, access_token = ?, access_secret = ?,
                    token_issued = ?, token_expiry = ? WHERE id = ?
                    """,
                arguments: [
                    tokens.consumerKey, tokens.consumerSecret, tokens.accessToken, tokens.accessSecret,
                    issued.unixSeconds, tokens.accessTokenExpiry.unixSeconds, server.id,
                ])
        }
        sessions.close(server: server.id)
        return IssuedServerToken(
            fileName: TokenFileName.make(serverName: server.name, issuedAt: issued),
            contents: SMIMEEnvelope.wrap(envelope), expiry: tokens.accessTokenExpiry)
    }

    /// `text` trimmed, as a server's name: 1 to 100 printable characters on one line.
    static func serverName(_ text: String) throws -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100, !name.contains(where: \.isNewline), !name.containsControlCharacters
        else {
            throw PortalError(
                .invalidRequest, "An MDM server needs a name of 1 to 100 printable characters on one line.")
        }
        return name
    }

    /// The columns an unassigned device has: no server, no profile.
    static let unassignment = """
        server_id = NULL, assigned_by = NULL, assigned_date = NULL, profile_uuid = NULL, profile_status = 'empty',
        profile_assign_time = NULL, profile_push_time = NULL
        """

    func requireServer(_ reference: String, _ db: Database) throws -> MDMServerRecord {
        try Self.requirePrintable(reference, "An MDM server's name or uuid")
        guard let server = try MDMServerRecord.find(db, reference: reference) else {
            throw PortalError(
                .notFound, "No MDM server is named or numbered \"\(reference)\"; list them with `fakedep server list`.")
        }
        return server
    }

    func summary(of server: MDMServerRecord, _ db: Database) throws -> MDMServerSummary {
        let count =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM devices WHERE server_id = ?", arguments: [server.id]) ?? 0
        let subject = server.certificate.flatMap { try? Certificate(der: $0).subjectCommonName }
        return MDMServerSummary(
            uuid: server.uuid, name: server.name, certificateSubject: subject,
            hasCertificate: server.certificate != nil,
            mayDisown: server.mayDisown, tokenIssued: server.tokenIssued.map(Date.init(unixSeconds:)),
            tokenExpiry: server.tokens?.accessTokenExpiry, deviceCount: count,
            created: Date(unixSeconds: server.created))
    }

    /// The DER of a PEM or DER certificate with an RSA key, or a clear refusal.
    static func certificateDER(_ bytes: Data) throws -> Data {
        // The portal's and the ABM API's one rule for a server's key.
        do {
            let certificate = try Certificate(bytes: bytes)
            guard certificate.isRSA else {
                throw PortalError(
                    .invalidCertificate, "The certificate's key is not RSA; DEP tokens are encrypted to an RSA key.")
            }
            return try certificate.der
        } catch let error as CryptoError {
            throw PortalError(
                .invalidCertificate,
                "The public key must be a PEM or DER X.509 certificate with an RSA key: \(error.reason)")
        }
    }

    /// 32 upper-case hex characters, as Apple's server uuids are observed (dep-api §3.1).
    static func makeServerUUID() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.string((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }).uppercased()
    }
}
