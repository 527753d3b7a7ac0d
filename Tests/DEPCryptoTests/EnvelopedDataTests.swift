import DEPCrypto
import Foundation
import Testing

@Suite("EnvelopedData")
struct EnvelopedDataTests {
    /// An inner token MIME entity shaped like spec §1.2: CRLF headers, LF armour and JSON.
    static let tokenPlaintext = Data(
        ("Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
            + "-----BEGIN MESSAGE-----\n"
            + #"{"consumer_key":"CK_0123","consumer_secret":"CS_4567","access_token":"AT_O1234567890Oabcdef0123456789O1737111741803","access_secret":"AS_89ab","access_token_expiry":"2026-01-17T11:02:21Z"}"#
            + "\n-----END MESSAGE-----\n").utf8)

    static let plaintexts: [Data] = [
        Data(),
        Data("x".utf8),
        Data(repeating: 0x61, count: 16),
        tokenPlaintext,
        Data((0...255).map { UInt8($0) }),
        Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }),
    ]

    @Test("Encrypting then decrypting returns the plaintext", arguments: plaintexts)
    func roundTrip(plaintext: Data) throws {
        let envelope = try EnvelopedData.encrypt(plaintext, to: Fixture.certificate)
        let opened = try EnvelopedData.decrypt(envelope, key: Fixture.key, certificate: Fixture.certificate)
        #expect(opened == plaintext)
    }

    @Test("The envelope is BER with indefinite lengths, like Apple's token")
    func envelopeIsIndefiniteBER() throws {
        let envelope = try EnvelopedData.encrypt(Self.tokenPlaintext, to: Fixture.certificate)
        // SEQUENCE, indefinite length, then the envelopedData OID (1.2.840.113549.1.7.3).
        let prefix: [UInt8] = [
            0x30, 0x80, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x03, 0xA0, 0x80,
        ]
        #expect(Array(envelope.prefix(prefix.count)) == prefix)
        #expect(Array(envelope.suffix(4)) == [0, 0, 0, 0])
        // Base64 of the whole starts the way every real token does (spec §1.2).
        #expect(envelope.base64EncodedString().hasPrefix("MIAGCSqGSIb3DQEHA6CAMIACAQAx"))
    }

    @Test("The envelope names AES-128-CBC, RSA key transport and an issuer-and-serial recipient")
    func envelopeAlgorithms() async throws {
        let envelope = try EnvelopedData.encrypt(Self.tokenPlaintext, to: Fixture.certificate)
        let aes128CBC: [UInt8] = [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02]
        #expect(envelope.firstRange(of: aes128CBC) != nil)

        try await withTemporaryDirectory { directory in
            try directory.write(envelope, to: "token.der")
            let parsed = try await opensslText(["asn1parse", "-inform", "DER", "-in", "token.der"], in: directory)
            #expect(parsed.contains("pkcs7-envelopedData"))
            #expect(parsed.contains("aes-128-cbc"))
            #expect(parsed.contains("rsaEncryption"))
            #expect(parsed.contains("pkcs7-data"))

            let printed = try await opensslText(
                ["cms", "-cmsout", "-print", "-inform", "DER", "-in", "token.der"], in: directory)
            #expect(printed.contains("d.issuerAndSerialNumber:"))
            #expect(printed.contains("serialNumber: 1"))
            #expect(printed.contains("CN=deptokens"))
            #expect(printed.contains("algorithm: rsaEncryption"))
            #expect(printed.contains("algorithm: aes-128-cbc"))
        }
    }

    @Test("Every envelope uses a fresh content key and IV")
    func envelopesDiffer() throws {
        let first = try EnvelopedData.encrypt(Self.tokenPlaintext, to: Fixture.certificate)
        let second = try EnvelopedData.encrypt(Self.tokenPlaintext, to: Fixture.certificate)
        #expect(first != second)
        #expect(first.count == second.count)
    }

    @Test("Many tasks can share one key and certificate")
    func concurrentUse() async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                group.addTask {
                    let plaintext = Data("message \(index)".utf8)
                    let envelope = try EnvelopedData.encrypt(plaintext, to: Fixture.certificate)
                    return try EnvelopedData.decrypt(envelope, key: Fixture.key, certificate: Fixture.certificate)
                        == plaintext
                }
            }
            for try await matched in group {
                #expect(matched)
            }
        }
    }
}
