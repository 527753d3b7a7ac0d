import DEPCrypto
import Foundation
import Testing

@Suite("ES256")
struct ES256Tests {
    static let key = try! ECPrivateKey.generateP256()
    static let otherKey = try! ECPrivateKey.generateP256()
    static let message = Data("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJCVVNJTkVTU0FQSS54In0".utf8)

    @Test("A signature is 64 bytes and verifies with the key's public half only")
    func signAndVerify() throws {
        let signature = try ES256.sign(Self.message, with: Self.key)
        #expect(signature.count == 64)
        #expect(ES256.isValidSignature(signature, of: Self.message, by: try Self.key.publicKey))
        #expect(!ES256.isValidSignature(signature, of: Self.message, by: try Self.otherKey.publicKey))
        var tampered = Self.message
        tampered[0] ^= 1
        #expect(!ES256.isValidSignature(signature, of: tampered, by: try Self.key.publicKey))
        var flipped = signature
        flipped[40] ^= 1
        #expect(!ES256.isValidSignature(flipped, of: Self.message, by: try Self.key.publicKey))
        #expect(!ES256.isValidSignature(signature.prefix(63), of: Self.message, by: try Self.key.publicKey))
        #expect(!ES256.isValidSignature(Data(count: 64), of: Self.message, by: try Self.key.publicKey))
    }

    @Test("Raw and DER signatures convert both ways, keeping leading zero bytes")
    func conversions() throws {
        var raw = Data(count: 64)
        raw[31] = 1
        raw[32] = 0x80
        raw[63] = 7
        let der = try ES256.derSignature(fromRaw: raw)
        // SEQUENCE { INTEGER 1, INTEGER 0x0080…07 (33 bytes, a sign byte added) }
        #expect(der.prefix(5) == Data([0x30, 0x26, 0x02, 0x01, 0x01]))
        #expect(try ES256.rawSignature(fromDER: der) == raw)
        #expect(throws: CryptoError.self) { try ES256.derSignature(fromRaw: Data(count: 65)) }
        #expect(throws: CryptoError.self) { try ES256.rawSignature(fromDER: Data([0x30, 0x00, 0x01])) }
    }

    @Test("openssl dgst verifies our signature after DER conversion, and refuses a tampered message or another key")
    func opensslVerifiesOurs() async throws {
        try await withTemporaryDirectory { directory in
            try directory.write(Data(Self.key.publicKey.pem.utf8), to: "public.pem")
            try directory.write(Data(Self.otherKey.publicKey.pem.utf8), to: "other.pem")
            try directory.write(Self.message, to: "message")
            try directory.write(Self.message + Data("x".utf8), to: "tampered")
            let signature = try ES256.sign(Self.message, with: Self.key)
            try directory.write(try ES256.derSignature(fromRaw: signature), to: "signature.der")
            let verified = try await opensslText(
                ["dgst", "-sha256", "-verify", "public.pem", "-signature", "signature.der", "message"], in: directory)
            #expect(verified.contains("Verified OK"))
            for (key, file) in [("public.pem", "tampered"), ("other.pem", "message")] {
                await #expect(throws: (any Error).self) {
                    try await openssl(
                        ["dgst", "-sha256", "-verify", key, "-signature", "signature.der", file], in: directory)
                }
            }
        }
    }

    @Test("A signature openssl makes with its own key verifies here after conversion to r||s")
    func weVerifyOpenSSLs() async throws {
        try await withTemporaryDirectory { directory in
            try await openssl(
                ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "key.pem"], in: directory)
            try directory.write(Self.message, to: "message")
            let der = try await openssl(["dgst", "-sha256", "-sign", "key.pem", "message"], in: directory)
            let key = try ECPrivateKey(bytes: try Data(contentsOf: directory.appendingPathComponent("key.pem")))
            let raw = try ES256.rawSignature(fromDER: der)
            #expect(ES256.isValidSignature(raw, of: Self.message, by: try key.publicKey))
            #expect(!ES256.isValidSignature(raw, of: Self.message, by: try Self.key.publicKey))
        }
    }
}
