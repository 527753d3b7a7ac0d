import DEPCrypto
import Foundation

/// Key pairs shared by the tests: RSA generation is the slow part, and the objects are
/// immutable and `Sendable`.
enum Fixture {
    /// The MDM's key pair, as nanodep makes it: CN `deptokens`, serial 1.
    static let key = try! PrivateKey.generateRSA()
    static let certificate = try! Certificate.selfSigned(key: key, commonName: "deptokens", days: 1)

    /// A second MDM with the same defaults, so its certificate has the same issuer and serial.
    static let otherKey = try! PrivateKey.generateRSA()
    static let lookalikeCertificate = try! Certificate.selfSigned(key: otherKey, commonName: "deptokens", days: 1)
    /// The second key under a different serial number.
    static let otherCertificate = try! Certificate.selfSigned(
        key: otherKey, commonName: "deptokens", days: 1, serial: 2)

    /// Writes the MDM's key (PKCS#1 PEM) and certificate (PEM) where the `openssl` command can read them.
    static func writeKeyPair(to directory: URL) throws -> (key: String, certificate: String) {
        try Fixture.key.pkcs1PEM.write(
            to: directory.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
        try Fixture.certificate.pem.write(
            to: directory.appendingPathComponent("cert.pem"), atomically: true, encoding: .utf8)
        return ("key.pem", "cert.pem")
    }

    /// Makes an EC (P-256) key and self-signed certificate with the `openssl` command.
    static func writeECKeyPair(to directory: URL) async throws -> (key: String, certificate: String) {
        try await openssl(
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ec-key.pem", "-out", "ec-cert.pem", "-subj", "/CN=ec", "-days", "1",
            ],
            in: directory
        )
        return ("ec-key.pem", "ec-cert.pem")
    }
}

extension URL {
    /// The contents of a file in this directory.
    func contents(of name: String) throws -> Data {
        try Data(contentsOf: appendingPathComponent(name))
    }

    /// Writes a file in this directory.
    func write(_ data: Data, to name: String) throws {
        try data.write(to: appendingPathComponent(name))
    }
}
