public import DEPCrypto
import Foundation

/// The key pair of a state directory: the private key (`depsync.key`, readable only by its
/// owner) and the certificate to upload to the portal (`depsync.pem`), Apple's "public key" for
/// an MDM server.
public struct TokenKeyPair: Sendable {
    public let key: PrivateKey
    public let certificate: Certificate

    public init(key: PrivateKey, certificate: Certificate) {
        self.key = key
        self.certificate = certificate
    }

    /// The files of `directory`.
    public static func keyPath(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("depsync.key")
    }
    public static func certificatePath(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("depsync.pem")
    }

    /// Makes a new RSA-2048 key and a self-signed certificate valid for `days`, and writes them
    /// into `directory`; an existing pair is kept unless `replacing`.
    public static func request(
        in directory: String, commonName: String = "depsync", days: Int = 365, replacing: Bool = false
    ) throws -> TokenKeyPair {
        let keyPath = keyPath(in: directory)
        if FileManager.default.fileExists(atPath: keyPath), !replacing {
            throw AgentError.keyPairExists(directory: directory)
        }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = try PrivateKey.generateRSA()
        let certificate = try Certificate.selfSigned(key: key, commonName: commonName, days: days)
        try PrivateFile.write(Data(key.pkcs8PEM.utf8), to: keyPath, permissions: 0o600)
        try PrivateFile.write(Data(try certificate.pem.utf8), to: certificatePath(in: directory), permissions: 0o644)
        return TokenKeyPair(key: key, certificate: certificate)
    }

    /// Reads the pair of `directory`.
    public static func load(from directory: String) throws -> TokenKeyPair {
        guard let keyData = FileManager.default.contents(atPath: keyPath(in: directory)),
            let certificateData = FileManager.default.contents(atPath: certificatePath(in: directory))
        else { throw AgentError.noKeyPair(directory: directory) }
        return TokenKeyPair(key: try PrivateKey(bytes: keyData), certificate: try Certificate(bytes: certificateData))
    }
}
