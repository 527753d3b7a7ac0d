import DEPCrypto
import Foundation
import NIOSSL

/// The certificate and key fakedep serves HTTPS with, and the names the certificate is valid
/// for (which the portal, test control and web pages then answer to).
public struct TLSIdentity: Sendable {
    /// The server side of TLS 1.2 and 1.3 with the certificate, made once for every connection.
    let context: NIOSSLContext
    /// The certificate's DNS names and IP addresses, without their `DNS:`/`IP:` prefix.
    public let names: [String]
    /// The authority's certificate file a client trusts, when fakedep issued the certificate.
    public let authorityFile: String?

    /// Reads a certificate (PEM, its chain after it) and its private key (PEM).
    init(certificatePEM: String, keyPEM: String, names: [String], authorityFile: String?) throws {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        // Making the context checks that the key belongs to the certificate.
        context = try NIOSSLContext(configuration: configuration)
        self.names = names.map { String($0.drop { $0 != ":" }.dropFirst()) }
        self.authorityFile = authorityFile
    }

    /// The user's certificate and key files (`--tls-cert`, `--tls-key`), as they are.
    static func load(certificateFile: String, keyFile: String) throws(TLSError) -> TLSIdentity {
        let certificatePEM: String
        let keyPEM: String
        do {
            certificatePEM = try String(contentsOfFile: certificateFile, encoding: .utf8)
            keyPEM = try String(contentsOfFile: keyFile, encoding: .utf8)
        } catch {
            throw TLSError("Cannot read the TLS certificate \(certificateFile) or its key \(keyFile): \(error)")
        }
        let names: [String]
        do {
            names = try Certificate(pem: certificatePEM).subjectAlternativeNames
        } catch {
            throw TLSError("\(certificateFile) holds no PEM certificate (\(error)).")
        }
        do {
            return try TLSIdentity(certificatePEM: certificatePEM, keyPEM: keyPEM, names: names, authorityFile: nil)
        } catch {
            throw TLSError(
                "Cannot serve \(certificateFile) with \(keyFile): \(error). The key must be the certificate's, in PEM.")
        }
    }
}
