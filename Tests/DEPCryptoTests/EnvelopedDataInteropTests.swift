import DEPCrypto
import Foundation
import Testing

/// Our envelopes against the `openssl` command, in both directions.
@Suite("EnvelopedData and the openssl command")
struct EnvelopedDataInteropTests {
    /// Wraps an envelope the way the portal's `.p7m` download does (spec §1.2): four headers, a
    /// blank line, base64 in 76-character lines.
    static func smime(_ envelope: Data, lineEnding: String) -> String {
        let headers = [
            #"Content-Type: application/pkcs7-mime; name="smime.p7m"; smime-type=enveloped-data"#,
            "Content-Transfer-Encoding: base64",
            #"Content-Disposition: attachment; filename="smime.p7m""#,
            "Content-Description: S/MIME Encrypted Message",
            "",
        ]
        let body = envelope.base64EncodedString(options: .lineLength76Characters)
            .replacingOccurrences(of: "\r\n", with: lineEnding)
        return headers.joined(separator: lineEnding) + lineEnding + body + lineEnding
    }

    @Test("openssl smime decrypts our envelope in S/MIME form", arguments: ["\r\n", "\n"])
    func opensslSMIMEDecrypts(lineEnding: String) async throws {
        let plaintext = EnvelopedDataTests.tokenPlaintext
        let envelope = try EnvelopedData.encrypt(plaintext, to: Fixture.certificate)
        try await withTemporaryDirectory { directory in
            let files = try Fixture.writeKeyPair(to: directory)
            try directory.write(Data(Self.smime(envelope, lineEnding: lineEnding).utf8), to: "token_smime.p7m")
            let opened = try await openssl(
                ["smime", "-decrypt", "-in", "token_smime.p7m", "-inkey", files.key, "-recip", files.certificate],
                in: directory
            )
            #expect(opened == plaintext)
        }
    }

    @Test("openssl cms decrypts our envelope as DER, binary content intact")
    func opensslCMSDecrypts() async throws {
        let plaintext = Data((0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let envelope = try EnvelopedData.encrypt(plaintext, to: Fixture.certificate)
        try await withTemporaryDirectory { directory in
            let files = try Fixture.writeKeyPair(to: directory)
            try directory.write(envelope, to: "token.der")
            let opened = try await openssl(
                [
                    "cms", "-decrypt", "-binary", "-inform", "DER", "-in", "token.der",
                    "-inkey", files.key, "-recip", files.certificate,
                ],
                in: directory
            )
            #expect(opened == plaintext)
        }
    }

    @Test(
        "An envelope made by openssl decrypts, whatever its cipher or encoding",
        arguments: [
            ["smime", "-encrypt", "-aes128"],
            ["smime", "-encrypt", "-aes128", "-stream"],
            ["smime", "-encrypt", "-aes256"],
            ["smime", "-encrypt", "-des3"],
            ["cms", "-encrypt", "-aes-192-cbc", "-stream"],
        ]
    )
    func decryptsOpenSSLEnvelopes(command: [String]) async throws {
        let plaintext = EnvelopedDataTests.tokenPlaintext
        try await withTemporaryDirectory { directory in
            let files = try Fixture.writeKeyPair(to: directory)
            try directory.write(plaintext, to: "plain.txt")
            let envelope = try await openssl(
                command + ["-binary", "-outform", "DER", "-in", "plain.txt", files.certificate], in: directory)
            let opened = try EnvelopedData.decrypt(envelope, key: Fixture.key, certificate: Fixture.certificate)
            #expect(opened == plaintext)
        }
    }

    @Test("An openssl envelope to a key read back from PKCS#8 DER decrypts")
    func decryptsWithRereadKey() async throws {
        try await withTemporaryDirectory { directory in
            try await openssl(
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
                    "-subj", "/CN=depserver", "-days", "1",
                ],
                in: directory
            )
            try await openssl(
                ["pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER", "-out", "key.der"], in: directory)
            try directory.write(Data("token".utf8), to: "plain.txt")
            let envelope = try await openssl(
                ["smime", "-encrypt", "-aes128", "-binary", "-outform", "DER", "-in", "plain.txt", "cert.pem"],
                in: directory
            )
            let key = try PrivateKey(der: directory.contents(of: "key.der"))
            let certificate = try Certificate(bytes: directory.contents(of: "cert.pem"))
            #expect(try EnvelopedData.decrypt(envelope, key: key, certificate: certificate) == Data("token".utf8))
        }
    }
}
