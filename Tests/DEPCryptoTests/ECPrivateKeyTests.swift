import DEPCrypto
import Foundation
import Testing

@Suite("ECPrivateKey")
struct ECPrivateKeyTests {
    static let key = try! ECPrivateKey.generateP256()

    @Test("A generated key is P-256 and the openssl command accepts it")
    func generatedKeyIsP256() async throws {
        try await withTemporaryDirectory { directory in
            try directory.write(Data(Self.key.pkcs8PEM.utf8), to: "key.pem")
            let text = try await opensslText(["ec", "-in", "key.pem", "-check", "-noout", "-text"], in: directory)
            #expect(text.contains("prime256v1") || text.contains("P-256"))
        }
    }

    @Test("PKCS#8 PEM and Apple's PEM hold the same DER under different labels, and both read back")
    func pkcs8AndAppleForms() throws {
        let pkcs8 = try Self.key.pkcs8PEM
        let apple = try Self.key.applePEM
        #expect(pkcs8.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(apple.hasPrefix("-----BEGIN EC PRIVATE KEY-----\n"))
        #expect(apple.hasSuffix("-----END EC PRIVATE KEY-----\n"))
        // Same base64 body: only the label differs (peers §5.2).
        let body = { (pem: String) in pem.split(separator: "\n").filter { !$0.hasPrefix("-----") } }
        #expect(body(pkcs8) == body(apple))
        for pem in [pkcs8, apple] {
            #expect(try ECPrivateKey(pem: pem).pkcs8DER == Self.key.pkcs8DER)
            #expect(try ECPrivateKey(bytes: Data(pem.utf8)).pkcs8DER == Self.key.pkcs8DER)
        }
    }

    @Test("A genuine SEC1 PEM and both DER forms read back as the same key")
    func sec1AndDER() async throws {
        let sec1 = try Self.key.sec1PEM
        #expect(sec1.hasPrefix("-----BEGIN EC PRIVATE KEY-----\n"))
        #expect(sec1 != (try Self.key.applePEM))
        #expect(try ECPrivateKey(pem: sec1).pkcs8DER == Self.key.pkcs8DER)
        #expect(try ECPrivateKey(der: Self.key.pkcs8DER).pkcs8DER == Self.key.pkcs8DER)
        try await withTemporaryDirectory { directory in
            try directory.write(Data(sec1.utf8), to: "key.pem")
            let sec1DER = try await openssl(["ec", "-in", "key.pem", "-outform", "DER"], in: directory)
            #expect(try ECPrivateKey(bytes: sec1DER).pkcs8DER == Self.key.pkcs8DER)
        }
    }

    @Test("A key made by the openssl command reads in every form openssl writes")
    func readsOpenSSLKeys() async throws {
        try await withTemporaryDirectory { directory in
            try await openssl(
                ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.pem"], in: directory)
            try await openssl(["pkcs8", "-topk8", "-nocrypt", "-in", "sec1.pem", "-out", "pkcs8.pem"], in: directory)
            let sec1 = try ECPrivateKey(bytes: try Data(contentsOf: directory.appendingPathComponent("sec1.pem")))
            let pkcs8 = try ECPrivateKey(bytes: try Data(contentsOf: directory.appendingPathComponent("pkcs8.pem")))
            #expect(try sec1.pkcs8DER == pkcs8.pkcs8DER)
            let expected = try await openssl(["pkey", "-in", "sec1.pem", "-pubout", "-outform", "DER"], in: directory)
            #expect(try sec1.publicKey.der == expected)
        }
    }

    @Test("openssl reads our PKCS#8 PEM to the same key, and our public key is the one it derives")
    func opensslReadsOurs() async throws {
        try await withTemporaryDirectory { directory in
            try directory.write(Data(Self.key.pkcs8PEM.utf8), to: "key.pem")
            let publicPEM = try await opensslText(["pkey", "-in", "key.pem", "-pubout"], in: directory)
            #expect(try Self.key.publicKey.pem == publicPEM)
            #expect(try ECPublicKey(pem: publicPEM).der == Self.key.publicKey.der)
            #expect(try ECPublicKey(bytes: Data(publicPEM.utf8)).der == Self.key.publicKey.der)
        }
    }

    @Test("RSA keys, other curves and garbage are refused with the reason")
    func refusesOtherKeys() async throws {
        let rsa = try PrivateKey.generateRSA()
        let notEC = #expect(throws: CryptoError.self) { try ECPrivateKey(pem: rsa.pkcs8PEM) }
        #expect(notEC?.kind == .notP256)
        #expect(notEC?.reason == "the key is RSA")
        try await withTemporaryDirectory { directory in
            try await openssl(
                ["ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "p384.pem"], in: directory)
            let p384 = #expect(throws: CryptoError.self) {
                try ECPrivateKey(bytes: try Data(contentsOf: directory.appendingPathComponent("p384.pem")))
            }
            #expect(p384?.kind == .notP256)
            #expect(p384?.reason == "the curve is secp384r1")
        }
        #expect(throws: CryptoError.self) { try ECPrivateKey(bytes: Data(repeating: 0x30, count: 12)) }
        #expect(throws: CryptoError.self) {
            try ECPrivateKey(pem: "-----BEGIN PRIVATE KEY-----\n!!\n-----END PRIVATE KEY-----\n")
        }
        let publicAsPrivate = #expect(throws: CryptoError.self) { try ECPublicKey(pem: Self.key.pkcs8PEM) }
        #expect(publicAsPrivate?.kind == .notAPublicKey)
    }
}
