public import DEPCrypto
public import Foundation

/// fakedep's own certificate authority, kept in a directory with the server certificate it
/// last issued: `ca.pem` (what clients trust, `fakedep ca` prints it), `ca-key.pem`,
/// `server.pem` and `server-key.pem` (keys readable by their owner only). Made on first use and
/// kept, so a client trusts it once; the server certificate is issued again when the names it
/// must carry change or it is about to expire.
public struct LocalAuthority: Sendable {
    public let directory: String
    /// The authority's certificate, what a client trusts.
    public let certificate: Certificate
    private let key: PrivateKey

    /// How long the authority is valid: ten years, since a client is told to trust it once.
    static let authorityDays = 3650
    /// How long a server certificate is valid: 397 days, the most Apple's and browsers' TLS
    /// accept for a server certificate.
    static let serverDays = 397
    /// A server certificate closer than this to its end is issued again.
    static let renewalMargin: TimeInterval = 30 * 86_400

    /// The authority's certificate file, to give a client (`--ca-file`, `SSL_CERT_FILE`).
    public var certificateFile: String { Self.path("ca.pem", in: directory) }

    /// Where the authority is kept when no directory is given: beside the store (a folder
    /// `fakedep-tls` next to the SQLite file), else in the worlds directory, else, for a store
    /// in memory, in `~/.fakedep/tls`.
    public static func defaultDirectory(databasePath: String, worldsDirectory: String?) -> String {
        if databasePath != ":memory:" {
            let folder = (databasePath as NSString).deletingLastPathComponent
            return path("fakedep-tls", in: folder.isEmpty ? "." : folder)
        }
        if let worldsDirectory { return path("fakedep-tls", in: worldsDirectory) }
        return path(".fakedep/tls", in: FileManager.default.homeDirectoryForCurrentUser.path)
    }

    /// The authority in `directory`, made there (with the directory) when it holds none yet.
    public static func open(directory: String, now: Date = Date()) throws(TLSError) -> LocalAuthority {
        let certificateFile = path("ca.pem", in: directory)
        let keyFile = path("ca-key.pem", in: directory)
        guard FileManager.default.fileExists(atPath: certificateFile) else {
            return try make(in: directory, now: now)
        }
        let certificate: Certificate
        let key: PrivateKey
        do {
            certificate = try Certificate(bytes: try Data(contentsOf: URL(fileURLWithPath: certificateFile)))
            key = try PrivateKey(bytes: try Data(contentsOf: URL(fileURLWithPath: keyFile)))
        } catch {
            throw TLSError(
                "The certificate authority in \(directory) cannot be read (\(error)): remove the directory to make a "
                    + "new one, and trust the new ca.pem.")
        }
        guard certificate.hasPublicKey(of: key) else {
            throw TLSError(
                "\(keyFile) is not the key of \(certificateFile): remove \(directory) to make a new authority.")
        }
        if let end = certificate.notAfter, end <= now {
            throw TLSError(
                "The certificate authority \(certificateFile) expired on \(end): remove \(directory) to make a new one, "
                    + "and trust the new ca.pem.")
        }
        return LocalAuthority(directory: directory, certificate: certificate, key: key)
    }

    /// A new authority in `directory`.
    private static func make(in directory: String, now: Date) throws(TLSError) -> LocalAuthority {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let key = try PrivateKey.generateRSA()
            // An hour back, so a client whose clock is a little behind accepts it.
            let certificate = try Certificate.authority(
                key: key, commonName: "fakedep local CA (\(ProcessInfo.processInfo.hostName))", days: authorityDays,
                notBefore: now.addingTimeInterval(-3600))
            try PrivateFile.write(Data(key.pkcs8PEM.utf8), to: path("ca-key.pem", in: directory), permissions: 0o600)
            try PrivateFile.write(Data(try certificate.pem.utf8), to: path("ca.pem", in: directory), permissions: 0o644)
            return LocalAuthority(directory: directory, certificate: certificate, key: key)
        } catch {
            throw TLSError("Cannot make a certificate authority in \(directory): \(error)")
        }
    }

    /// The server certificate kept in the directory when it names exactly
    /// `subjectAlternativeNames`, was issued by this authority and is not about to expire;
    /// else a new one, kept for the next start.
    func serverIdentity(subjectAlternativeNames: [String], now: Date) throws(TLSError) -> TLSIdentity {
        let certificateFile = Self.path("server.pem", in: directory)
        let keyFile = Self.path("server-key.pem", in: directory)
        if let kept = try? Certificate(bytes: Data(contentsOf: URL(fileURLWithPath: certificateFile))),
            let key = try? PrivateKey(bytes: Data(contentsOf: URL(fileURLWithPath: keyFile))),
            kept.hasPublicKey(of: key), kept.isSigned(by: certificate),
            Set(kept.subjectAlternativeNames) == Set(subjectAlternativeNames),
            let end = kept.notAfter, end.timeIntervalSince(now) > Self.renewalMargin
        {
            return try identity(kept, key: key)
        }
        do {
            let key = try PrivateKey.generateRSA()
            let issued = try Certificate.serverCertificate(
                key: key, commonName: "fakedep", subjectAlternativeNames: subjectAlternativeNames,
                authority: certificate, authorityKey: self.key, days: Self.serverDays,
                notBefore: now.addingTimeInterval(-3600))
            try PrivateFile.write(Data(key.pkcs8PEM.utf8), to: keyFile, permissions: 0o600)
            try PrivateFile.write(Data(try issued.pem.utf8), to: certificateFile, permissions: 0o644)
            return try identity(issued, key: key)
        } catch {
            throw TLSError("Cannot issue a server certificate in \(directory): \(error)")
        }
    }

    /// What the server presents: its certificate, then the authority's.
    private func identity(_ server: Certificate, key: PrivateKey) throws(TLSError) -> TLSIdentity {
        do {
            return try TLSIdentity(
                certificatePEM: try server.pem + certificate.pem, keyPEM: key.pkcs8PEM,
                names: server.subjectAlternativeNames, authorityFile: certificateFile)
        } catch let error as TLSError {
            throw error
        } catch {
            throw TLSError("Cannot use the server certificate in \(directory): \(error)")
        }
    }

    static func path(_ name: String, in directory: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }
}
