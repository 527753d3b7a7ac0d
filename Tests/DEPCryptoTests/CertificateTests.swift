import DEPCrypto
import Foundation
import Testing

@Suite("Certificate")
struct CertificateTests {
    @Test("A certificate round-trips through PEM and DER, with and without auto-detection")
    func pemAndDERRoundTrip() throws {
        let pem = try Fixture.certificate.pem
        let der = try Fixture.certificate.der
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(pem.hasSuffix("-----END CERTIFICATE-----\n"))
        #expect(der.first == 0x30)

        #expect(try Certificate(pem: pem).der == der)
        #expect(try Certificate(der: der).pem == pem)
        #expect(try Certificate(bytes: Data(pem.utf8)).der == der)
        #expect(try Certificate(bytes: der).der == der)
    }

    @Test("A certificate matches its own private key and no other")
    func matchesItsKey() throws {
        #expect(Fixture.certificate.hasPublicKey(of: Fixture.key))
        #expect(!Fixture.certificate.hasPublicKey(of: Fixture.otherKey))
        #expect(try Certificate(der: Fixture.certificate.der).hasPublicKey(of: PrivateKey(der: Fixture.key.pkcs8DER)))
    }

    @Test("A certificate made by the openssl command reads from PEM and DER")
    func readsOpenSSLCertificates() async throws {
        try await withTemporaryDirectory { directory in
            try await openssl(
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                    "-subj", "/O=Example/CN=mdm.example.com", "-days", "1825", "-set_serial", "0x0a0b0c",
                ],
                in: directory
            )
            try await openssl(["x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der"], in: directory)
            for file in ["cert.pem", "cert.der"] {
                let certificate = try Certificate(bytes: directory.contents(of: file))
                #expect(certificate.isRSA)
                #expect(certificate.subjectCommonName == "mdm.example.com")
                #expect(certificate.issuerCommonName == "mdm.example.com")
                #expect(certificate.serialNumber == "0A0B0C")
                #expect(try certificate.hasPublicKey(of: PrivateKey(bytes: directory.contents(of: "key.pem"))))
            }
        }
    }

    @Test("PEM with explanatory text before the block still reads")
    func readsPEMAfterText() async throws {
        try await withTemporaryDirectory { directory in
            try directory.write(Data(Fixture.certificate.pem.utf8), to: "cert.pem")
            let text = try await openssl(["x509", "-in", "cert.pem", "-text"], in: directory)
            #expect(!text.starts(with: Data("-----BEGIN".utf8)))
            #expect(try Certificate(bytes: text).der == Fixture.certificate.der)
        }
    }

    @Test("An EC certificate reads but is not RSA")
    func ecCertificateIsNotRSA() async throws {
        try await withTemporaryDirectory { directory in
            let files = try await Fixture.writeECKeyPair(to: directory)
            let certificate = try Certificate(bytes: directory.contents(of: files.certificate))
            #expect(!certificate.isRSA)
            #expect(certificate.subjectCommonName == "ec")
            #expect(!certificate.hasPublicKey(of: Fixture.key))
        }
    }

    @Test("A PEM holding only a private key is not a certificate")
    func keyIsNotACertificate() throws {
        for pem in [try Fixture.key.pkcs1PEM, try Fixture.key.pkcs8PEM] {
            let error = #expect(throws: CryptoError.self) { try Certificate(pem: pem) }
            #expect(error?.kind == .notACertificate)
            #expect(error?.reason.contains("no start line") == true)
        }
        let error = #expect(throws: CryptoError.self) { try Certificate(der: Fixture.key.pkcs1DER) }
        #expect(error?.kind == .notACertificate)
    }

    @Test(
        "Garbage, empty, truncated and padded bytes are not a certificate",
        arguments: [
            Data(),
            Data([0x30]),
            Data(repeating: 0x41, count: 64),
            try! Fixture.certificate.der.prefix(200),
            try! Fixture.certificate.der + Data([0, 0]),
            Data("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n".utf8),
            Data(try! Fixture.certificate.pem.utf8.prefix(300)),
        ]
    )
    func malformedCertificates(bytes: Data) {
        let error = #expect(throws: CryptoError.self) { try Certificate(bytes: bytes) }
        #expect(error?.kind == .notACertificate)
    }
}
