import DEPCrypto
import Foundation
import Testing

@Suite("PrivateKey")
struct PrivateKeyTests {
    @Test("A generated key is 2048-bit RSA that the openssl command accepts")
    func generatedKeyIsValidRSA() async throws {
        #expect(Fixture.key.bitCount == 2048)
        try await withTemporaryDirectory { directory in
            try directory.write(Data(Fixture.key.pkcs1PEM.utf8), to: "key.pem")
            let check = try await opensslText(["rsa", "-in", "key.pem", "-check", "-noout"], in: directory)
            #expect(check.contains("RSA key ok"))
        }
    }

    @Test("PKCS#1 PEM uses the RSA PRIVATE KEY armour and reads back as the same key")
    func pkcs1PEMRoundTrip() throws {
        let pem = try Fixture.key.pkcs1PEM
        #expect(pem.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END RSA PRIVATE KEY-----\n"))
        let reread = try PrivateKey(pem: pem)
        #expect(try reread.pkcs1PEM == pem)
        #expect(Fixture.certificate.hasPublicKey(of: reread))
    }

    @Test("PKCS#8 PEM uses the PRIVATE KEY armour and reads back as the same key")
    func pkcs8PEMRoundTrip() throws {
        let pem = try Fixture.key.pkcs8PEM
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let reread = try PrivateKey(pem: pem)
        #expect(try reread.pkcs8PEM == pem)
        #expect(try reread.pkcs1PEM == Fixture.key.pkcs1PEM)
    }

    @Test("Both DER forms read back through init(der:) and init(bytes:)")
    func derRoundTrip() throws {
        let pkcs1 = try Fixture.key.pkcs1DER
        let pkcs8 = try Fixture.key.pkcs8DER
        #expect(pkcs1 != pkcs8)
        for der in [pkcs1, pkcs8] {
            #expect(try PrivateKey(der: der).pkcs1DER == pkcs1)
            #expect(try PrivateKey(bytes: der).pkcs8DER == pkcs8)
        }
        #expect(try PrivateKey(bytes: Data(Fixture.key.pkcs8PEM.utf8)).pkcs1DER == pkcs1)
    }

    @Test("The DER forms are byte for byte what the openssl command writes")
    func derMatchesOpenSSL() async throws {
        try await withTemporaryDirectory { directory in
            try directory.write(Data(Fixture.key.pkcs8PEM.utf8), to: "key.pem")
            let pkcs1 = try await openssl(["rsa", "-in", "key.pem", "-traditional", "-outform", "DER"], in: directory)
            let pkcs8 = try await openssl(
                ["pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER"], in: directory)
            #expect(try Fixture.key.pkcs1DER == pkcs1)
            #expect(try Fixture.key.pkcs8DER == pkcs8)
        }
    }

    @Test("Keys written by the openssl command read in PKCS#1 and PKCS#8 PEM", arguments: [false, true])
    func readsOpenSSLKeys(traditional: Bool) async throws {
        try await withTemporaryDirectory { directory in
            try await openssl(
                ["genrsa", "-out", "key.pem"] + (traditional ? ["-traditional"] : []) + ["1024"],
                in: directory
            )
            let pem = try directory.contents(of: "key.pem")
            let armour = traditional ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN PRIVATE KEY-----"
            #expect(String(decoding: pem, as: UTF8.self).hasPrefix(armour))
            #expect(try PrivateKey(bytes: pem).bitCount == 1024)
        }
    }

    @Test("A certificate PEM is not a private key")
    func certificateIsNotAKey() throws {
        let error = #expect(throws: CryptoError.self) { try PrivateKey(pem: Fixture.certificate.pem) }
        #expect(error?.kind == .notAPrivateKey)
        #expect(error?.reason.isEmpty == false)
    }

    @Test(
        "Garbage, empty, truncated and padded bytes are not a private key",
        arguments: [
            Data(),
            Data("hello".utf8),
            Data(repeating: 0xFF, count: 300),
            try! Fixture.key.pkcs1DER.prefix(100),
            try! Fixture.key.pkcs8DER + Data([0]),
            Data("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n".utf8),
        ]
    )
    func malformedKeys(bytes: Data) {
        let error = #expect(throws: CryptoError.self) { try PrivateKey(bytes: bytes) }
        #expect(error?.kind == .notAPrivateKey)
    }

    @Test("An EC key is refused as not RSA")
    func ecKeyIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let files = try await Fixture.writeECKeyPair(to: directory)
            let pem = try directory.contents(of: files.key)
            let error = #expect(throws: CryptoError.self) { try PrivateKey(bytes: pem) }
            #expect(error?.kind == .notRSA)
        }
    }

    @Test("A passphrase-protected key fails instead of prompting")
    func encryptedKeyFails() async throws {
        try await withTemporaryDirectory { directory in
            try await openssl(
                ["genrsa", "-aes128", "-passout", "pass:secret", "-out", "key.pem", "1024"], in: directory)
            let pem = try directory.contents(of: "key.pem")
            let error = #expect(throws: CryptoError.self) { try PrivateKey(bytes: pem) }
            #expect(error?.kind == .notAPrivateKey)
        }
    }

    @Test("A key after other PEM blocks is found, as a combined certificate-and-key file holds it")
    func keyAfterOtherBlocks() throws {
        let combined = try Fixture.certificate.pem + "some words between blocks\n" + Fixture.key.pkcs1PEM
        #expect(try PrivateKey(pem: combined).pkcs1PEM == Fixture.key.pkcs1PEM)
        let error = #expect(throws: CryptoError.self) { try PrivateKey(pem: try Fixture.certificate.pem) }
        #expect(error?.kind == .notAPrivateKey)
    }

    @Test("Reads from many tasks at once, good and bad interleaved, each get their own answer")
    func concurrentReads() async throws {
        let pkcs1 = try Fixture.key.pkcs1DER
        let forms = [pkcs1, try Fixture.key.pkcs8DER, Data(try Fixture.key.pkcs8PEM.utf8), Data("no key".utf8)]
        let outcomes = await withTaskGroup(of: (Int, Data?).self) { group in
            for index in 0..<200 {
                group.addTask { (index, try? PrivateKey(bytes: forms[index % forms.count]).pkcs1DER) }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for (index, der) in outcomes {
            #expect(der == (index % forms.count == 3 ? nil : pkcs1))
        }
    }

    @Test("Key sizes outside what OpenSSL can sensibly make are refused", arguments: [0, 512, 1 << 20])
    func unreasonableSizes(bits: Int) {
        let error = #expect(throws: CryptoError.self) { try PrivateKey.generateRSA(bits: bits) }
        #expect(error?.kind == .keyGenerationFailed)
    }
}
