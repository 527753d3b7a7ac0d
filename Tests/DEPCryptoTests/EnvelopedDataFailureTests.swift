import DEPCrypto
import Foundation
import Testing

@Suite("EnvelopedData failures")
struct EnvelopedDataFailureTests {
    static let envelope = try! EnvelopedData.encrypt(EnvelopedDataTests.tokenPlaintext, to: Fixture.certificate)

    @Test(
        "Garbage and empty input is corrupt data, not a crash",
        arguments: [
            Data(), Data([0x30]), Data([0x30, 0x80]), Data(repeating: 0xAB, count: 1024), Data("MIAGCSqG".utf8),
        ]
    )
    func garbage(bytes: Data) {
        let error = #expect(throws: CryptoError.self) {
            try EnvelopedData.decrypt(bytes, key: Fixture.key, certificate: Fixture.certificate)
        }
        #expect(error?.kind == .corruptData)
    }

    @Test("A truncated envelope is corrupt data", arguments: [1, 2, 4, 10, 100, 400, 600])
    func truncated(droppingLast count: Int) {
        let truncated = Self.envelope.dropLast(count)
        let error = #expect(throws: CryptoError.self) {
            try EnvelopedData.decrypt(Data(truncated), key: Fixture.key, certificate: Fixture.certificate)
        }
        #expect(error?.kind == .corruptData)
    }

    @Test("Bytes after the envelope are corrupt data")
    func trailingBytes() {
        let error = #expect(throws: CryptoError.self) {
            try EnvelopedData.decrypt(Self.envelope + Data([0x30]), key: Fixture.key, certificate: Fixture.certificate)
        }
        #expect(error?.kind == .corruptData)
    }

    @Test("A corrupted encrypted content key fails instead of yielding garbage")
    func tamperedEncryptedKey() throws {
        // The RSA-encrypted key is the 256-byte OCTET STRING (04 82 01 00) of the recipient info.
        var tampered = Self.envelope
        let header = try #require(tampered.firstRange(of: [0x04, 0x82, 0x01, 0x00] as [UInt8]))
        tampered[header.upperBound + 128] ^= 0x01
        let error = #expect(throws: CryptoError.self) {
            try EnvelopedData.decrypt(tampered, key: Fixture.key, certificate: Fixture.certificate)
        }
        #expect(error?.kind == .decryptionFailed)
        #expect(error?.reason.isEmpty == false)
    }

    @Test("Another key pair with the same issuer and serial fails every time, never returning garbage")
    func lookalikeRecipientFails() throws {
        // nanodep's defaults (CN deptokens, serial 1) make two MDMs' certificates indistinguishable
        // as recipients, so the RSA layer is what must refuse.
        for _ in 0..<32 {
            let envelope = try EnvelopedData.encrypt(Data("secret".utf8), to: Fixture.certificate)
            let error = #expect(throws: CryptoError.self) {
                try EnvelopedData.decrypt(envelope, key: Fixture.otherKey, certificate: Fixture.lookalikeCertificate)
            }
            #expect(error?.kind == .decryptionFailed)
        }
    }

    @Test("A private key that does not match the certificate is refused")
    func mismatchedKey() {
        let error = #expect(throws: CryptoError.self) {
            try EnvelopedData.decrypt(Self.envelope, key: Fixture.otherKey, certificate: Fixture.certificate)
        }
        #expect(error?.kind == .wrongKey)
        #expect(error?.description.contains("use the key pair uploaded to the portal") == true)
    }

    @Test("A certificate the envelope was not encrypted to is refused")
    func notARecipient() {
        let error = #expect(throws: CryptoError.self) {
            try EnvelopedData.decrypt(Self.envelope, key: Fixture.otherKey, certificate: Fixture.otherCertificate)
        }
        #expect(error?.kind == .notARecipient)
        #expect(
            error?.reason
                == "the certificate has issuer CN=deptokens serial 02; the envelope is for issuer CN=deptokens serial 01"
        )
    }

    @Test("CMS that is not EnvelopedData is refused")
    func notEnvelopedData() async throws {
        try await withTemporaryDirectory { directory in
            try directory.write(Data("plain".utf8), to: "plain.txt")
            let data = try await openssl(
                ["cms", "-data_create", "-in", "plain.txt", "-outform", "DER", "-binary"], in: directory)
            let error = #expect(throws: CryptoError.self) {
                try EnvelopedData.decrypt(data, key: Fixture.key, certificate: Fixture.certificate)
            }
            #expect(error?.kind == .notEnvelopedData)
            #expect(error?.reason == "content type is pkcs7-data")
        }
    }

    @Test("An EC certificate is refused for encryption and decryption")
    func ecCertificateIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let files = try await Fixture.writeECKeyPair(to: directory)
            let certificate = try Certificate(bytes: directory.contents(of: files.certificate))
            let encryptError = #expect(throws: CryptoError.self) {
                try EnvelopedData.encrypt(Data("secret".utf8), to: certificate)
            }
            #expect(encryptError?.kind == .notRSA)
            #expect(encryptError?.reason == "the certificate's public key is EC")
            let decryptError = #expect(throws: CryptoError.self) {
                try EnvelopedData.decrypt(Self.envelope, key: Fixture.key, certificate: certificate)
            }
            #expect(decryptError?.kind == .notRSA)
        }
    }
}
