public import DEPCrypto
public import DEPWire
public import Foundation

/// The API account `depsync abm` acts as, kept in the state directory: its ids and URLs in
/// `abm-account.json`, its private key in `abm-key.pem` (both readable only by their owner).
public struct ABMAccount: Codable, Sendable, Hashable {
    /// `BUSINESSAPI.<uuid>` or `SCHOOLAPI.<uuid>`; its prefix names the service.
    public var clientID: String
    public var keyID: String
    /// The API's base URL, without `/v1` (`https://api-business.apple.com`).
    public var apiURL: String
    /// Where access tokens are minted.
    public var tokenURL: String

    /// Apple's token endpoint: the URL the client assertion names as its audience.
    public static let appleTokenURL = ClientAssertionClaims.audience

    /// The account's files in the state directory.
    public static let fileName = "abm-account.json"
    public static let keyFileName = "abm-key.pem"

    /// An account of the service `clientID` names, at Apple's URLs or, with `url`, at one base
    /// URL serving both the API and the token endpoint (a fakedep).
    public init(clientID: String, keyID: String, url: String? = nil) throws(AgentError) {
        guard let service = ABMService(clientID: clientID) else { throw .abmUnknownClientID(clientID) }
        self.clientID = clientID
        self.keyID = keyID
        if let url {
            var base = Substring(url)
            while base.hasSuffix("/") { base = base.dropLast() }
            apiURL = String(base)
            tokenURL = base + "/auth/oauth2/v2/token"
        } else {
            apiURL = "https://" + service.hostName
            tokenURL = Self.appleTokenURL
        }
    }

    /// The service its client id belongs to.
    public var service: ABMService { ABMService(clientID: clientID) ?? .business }

    /// Writes the account and a copy of its key into `stateDirectory`, replacing any before.
    public func save(keyPEM: String, stateDirectory: String) throws {
        try FileManager.default.createDirectory(
            atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Self.writePrivately(Data(keyPEM.utf8), to: Self.path(Self.keyFileName, in: stateDirectory))
        try Self.writePrivately(try DEPJSON.encode(self), to: Self.path(Self.fileName, in: stateDirectory))
    }

    /// The account of `stateDirectory` and its key; `abmNotLoggedIn` when there is none.
    public static func load(stateDirectory: String) throws -> (account: ABMAccount, key: ECPrivateKey) {
        let accountPath = path(fileName, in: stateDirectory)
        let keyPath = path(keyFileName, in: stateDirectory)
        guard let accountData = FileManager.default.contents(atPath: accountPath),
            let keyData = FileManager.default.contents(atPath: keyPath)
        else { throw AgentError.abmNotLoggedIn }
        let account: ABMAccount
        do {
            account = try DEPJSON.decode(ABMAccount.self, from: accountData)
        } catch {
            throw AgentError.abmAccountUnreadable(path: accountPath, reason: "\(error)")
        }
        do {
            return (account, try ECPrivateKey(bytes: keyData))
        } catch {
            throw AgentError.abmAccountUnreadable(path: keyPath, reason: "\(error)")
        }
    }

    /// The key a login was given, checked to be a P-256 key (Apple's PEM or plain PKCS#8).
    public static func readKey(_ pem: Data, path: String) throws -> ECPrivateKey {
        do {
            return try ECPrivateKey(bytes: pem)
        } catch {
            throw AgentError.abmAccountUnreadable(path: path, reason: "\(error)")
        }
    }

    private static func path(_ name: String, in directory: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    /// Writes `data` to a file only its owner can read, created so before any byte lands in it.
    private static func writePrivately(_ data: Data, to path: String) throws {
        let temporary = path + ".new"
        _ = FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600])
        try data.write(to: URL(fileURLWithPath: temporary))
        // rename(2) replaces the old file at once: a reader sees the old account or the new one.
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
