import DEPCrypto
import Foundation
import Testing

@Suite("Certificate.authority and serverCertificate")
struct CertificateAuthorityTests {
    /// One authority and one server certificate it issued, shared: RSA keys are slow to make.
    static let authorityKey = try! PrivateKey.generateRSA()
    static let authority = try! Certificate.authority(key: authorityKey, commonName: "Test CA", days: 30)
    static let serverKey = try! PrivateKey.generateRSA()
    static let names = ["DNS:localhost", "DNS:mdmenrollment.apple.com", "IP:127.0.0.1", "IP:::1"]
    static let server = try! Certificate.serverCertificate(
        key: serverKey, commonName: "fakedep", subjectAlternativeNames: names, authority: authority,
        authorityKey: authorityKey, days: 10)

    @Test("The authority is a CA that may sign certificates")
    func authorityIsACA() async throws {
        try await withTemporaryDirectory { directory in
            try directory.write(try Self.authority.der, to: "ca.der")
            let text = try await opensslText(
                ["x509", "-inform", "DER", "-in", "ca.der", "-noout", "-text"], in: directory)
            #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:TRUE\n"))
            #expect(text.contains("X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign\n"))
            #expect(text.contains("Subject: CN = Test CA"))
            #expect(text.contains("Issuer: CN = Test CA"))
        }
    }

    @Test("A server certificate it issued verifies against it for TLS servers, with its names")
    func serverCertificateVerifies() async throws {
        try await withTemporaryDirectory { directory in
            try directory.write(Data(try Self.authority.pem.utf8), to: "ca.pem")
            try directory.write(Data(try Self.server.pem.utf8), to: "server.pem")
            let verified = try await opensslText(
                [
                    "verify", "-purpose", "sslserver", "-verify_hostname", "mdmenrollment.apple.com", "-CAfile",
                    "ca.pem",
                    "server.pem",
                ], in: directory)
            #expect(verified == "server.pem: OK\n")
            let text = try await opensslText(["x509", "-in", "server.pem", "-noout", "-text"], in: directory)
            #expect(text.contains("TLS Web Server Authentication"))
            #expect(text.contains("CA:FALSE"))
            #expect(text.contains("Issuer: CN = Test CA"))
        }
        #expect(Self.server.subjectAlternativeNames == Self.names)
        #expect(Self.server.isSigned(by: Self.authority))
        #expect(!Self.authority.isSigned(by: Self.server))
        #expect(Self.server.hasPublicKey(of: Self.serverKey))
    }

    @Test("A certificate without subjectAltName has no names; one with e-mail names only its DNS and IP ones")
    func namesOfOtherCertificates() throws {
        let plain = try Certificate.selfSigned(key: Self.serverKey, commonName: "plain", days: 1)
        #expect(plain.subjectAlternativeNames.isEmpty)
        let mixed = try Certificate.selfSigned(
            key: Self.serverKey, commonName: "mixed", days: 1,
            subjectAlternativeNames: ["email:a@example.com", "DNS:example.com", "IP:10.0.0.1"])
        #expect(mixed.subjectAlternativeNames == ["DNS:example.com", "IP:10.0.0.1"])
    }

    @Test("Issuing refuses no names, and an authority key that is not the authority's")
    func refusals() throws {
        #expect(throws: CryptoError.self) {
            try Certificate.serverCertificate(
                key: Self.serverKey, commonName: "x", subjectAlternativeNames: [], authority: Self.authority,
                authorityKey: Self.authorityKey, days: 1)
        }
        #expect {
            try Certificate.serverCertificate(
                key: Self.serverKey, commonName: "x", subjectAlternativeNames: ["DNS:x"], authority: Self.authority,
                authorityKey: Self.serverKey, days: 1)
        } throws: { ($0 as? CryptoError)?.kind == .wrongKey }
    }
}
