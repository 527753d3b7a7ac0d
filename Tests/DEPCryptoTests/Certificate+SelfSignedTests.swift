import DEPCrypto
import Foundation
import Testing

@Suite("Certificate.selfSigned")
struct CertificateSelfSignedTests {
    @Test("The token-request certificate is X.509 v3, sha256WithRSA, with critical key usage and CA:FALSE")
    func hasTokenRequestExtensions() async throws {
        try await withTemporaryDirectory { directory in
            try directory.write(Fixture.certificate.der, to: "cert.der")
            let text = try await opensslText(
                ["x509", "-inform", "DER", "-in", "cert.der", "-noout", "-text"], in: directory)
            #expect(text.contains("Version: 3 (0x2)"))
            #expect(text.contains("Signature Algorithm: sha256WithRSAEncryption"))
            #expect(text.contains("Public-Key: (2048 bit)"))
            #expect(text.contains("X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment\n"))
            #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:FALSE\n"))
            #expect(text.contains("Subject: CN = deptokens"))
            #expect(text.contains("Issuer: CN = deptokens"))
        }
    }

    @Test("The certificate's signature verifies with its own public key")
    func signatureVerifies() async throws {
        try await withTemporaryDirectory { directory in
            let files = try Fixture.writeKeyPair(to: directory)
            // Self-signed: the certificate is its own trust anchor.
            let output = try await opensslText(
                ["verify", "-CAfile", files.certificate, "-check_ss_sig", "-partial_chain", files.certificate],
                in: directory
            )
            #expect(output.contains("OK"))
        }
    }

    @Test("Names, serial and validity read back as given")
    func fieldsReadBack() throws {
        let start = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01T00:00:00Z
        let certificate = try Certificate.selfSigned(
            key: Fixture.key, commonName: "Théo's MDM ✓", days: 365 * 5, serial: 0x1234_5678_9ABC, notBefore: start)
        #expect(certificate.subjectCommonName == "Théo's MDM ✓")
        #expect(certificate.issuerCommonName == "Théo's MDM ✓")
        #expect(certificate.serialNumber == "123456789ABC")
        #expect(certificate.notBefore == start)
        #expect(certificate.notAfter == start.addingTimeInterval(86_400 * 365 * 5))
        #expect(certificate.isRSA)
        #expect(certificate.hasPublicKey(of: Fixture.key))
    }

    @Test("The default serial is 1, as nanodep uses, and openssl agrees")
    func defaultSerial() async throws {
        #expect(Fixture.certificate.serialNumber == "01")
        try await withTemporaryDirectory { directory in
            let files = try Fixture.writeKeyPair(to: directory)
            let serial = try await opensslText(["x509", "-in", files.certificate, "-noout", "-serial"], in: directory)
            #expect(serial == "serial=01\n")
        }
    }

    @Test("A validity of less than one day is refused", arguments: [0, -1, Int(Int32.max) + 1])
    func invalidValidity(days: Int) {
        let error = #expect(throws: CryptoError.self) {
            try Certificate.selfSigned(key: Fixture.key, commonName: "deptokens", days: days)
        }
        #expect(error?.kind == .certificateCreationFailed)
    }

    @Test("Subject alternative names are written as a non-critical extension a TLS client can match")
    func subjectAlternativeNames() async throws {
        let certificate = try Certificate.selfSigned(
            key: Fixture.key, commonName: "localhost", days: 1,
            subjectAlternativeNames: ["DNS:localhost", "IP:127.0.0.1", "IP:::1"])
        try await withTemporaryDirectory { directory in
            try directory.write(certificate.der, to: "server.der")
            try directory.write(Data(certificate.pem.utf8), to: "server.pem")
            let names = try await opensslText(
                ["x509", "-inform", "DER", "-in", "server.der", "-noout", "-ext", "subjectAltName"], in: directory)
            #expect(
                names
                    == "X509v3 Subject Alternative Name: \n"
                    + "    DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1\n")
            // Its own trust anchor, as a TLS client would check it for a loopback address.
            let verified = try await opensslText(
                ["verify", "-CAfile", "server.pem", "-verify_ip", "127.0.0.1", "server.pem"], in: directory)
            #expect(verified == "server.pem: OK\n")
        }
    }

    @Test("Without subject alternative names the certificate has no such extension")
    func noSubjectAlternativeNamesByDefault() async throws {
        try await withTemporaryDirectory { directory in
            try directory.write(Fixture.certificate.der, to: "cert.der")
            let text = try await opensslText(
                ["x509", "-inform", "DER", "-in", "cert.der", "-noout", "-text"], in: directory)
            #expect(!text.contains("Subject Alternative Name"))
        }
    }

    @Test("A subject alternative name that is empty or holds a comma is refused", arguments: ["", "DNS:a,DNS:b"])
    func invalidSubjectAlternativeName(name: String) {
        let error = #expect(throws: CryptoError.self) {
            try Certificate.selfSigned(
                key: Fixture.key, commonName: "localhost", days: 1, subjectAlternativeNames: [name])
        }
        #expect(error?.kind == .certificateCreationFailed)
    }
}
