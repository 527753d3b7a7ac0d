import DEPCrypto
import DEPWire
import Foundation
import Testing

/// The whole server token (dep-api §1.2) against the `openssl` command, both ways: the inner
/// message, the CMS envelope and the S/MIME text together.
struct ServerTokenInteropTests {
    static func tokens() -> OAuthTokens {
        var generator = SystemRandomNumberGenerator()
        return OAuthTokens.generate(issuedAt: Date(timeIntervalSince1970: 1_737_111_741), using: &generator)
    }

    @Test func aTokenWeIssueDecryptsWithOpenSSLToTheSameFiveValues() async throws {
        try await withTemporaryDirectory { directory in
            let (key, certificate) = try Fixture.writeKeyPair(to: directory)
            let tokens = Self.tokens()
            let envelope = try EnvelopedData.encrypt(Data(TokenMessage.build(tokens).utf8), to: Fixture.certificate)
            let file = TokenFileName.make(
                serverName: "mdmserver1", issuedAt: Date(timeIntervalSince1970: 1_737_111_741))
            #expect(file == "mdmserver1_Token_2025-01-17T11-02-21Z_smime.p7m")
            try directory.write(Data(SMIMEEnvelope.wrap(envelope).utf8), to: file)

            let plaintext = try await openssl(
                ["smime", "-decrypt", "-in", file, "-inkey", key, "-recip", certificate], in: directory)
            #expect(String(decoding: plaintext, as: UTF8.self) == TokenMessage.build(tokens))
            #expect(try TokenMessage.parse(Array(plaintext)) == tokens)
        }
    }

    @Test func aTokenOpenSSLEncryptsOpensWithOurCodeToTheSameFiveValues() async throws {
        try await withTemporaryDirectory { directory in
            let (_, certificate) = try Fixture.writeKeyPair(to: directory)
            let tokens = Self.tokens()
            try directory.write(Data(TokenMessage.build(tokens).utf8), to: "message.txt")
            try await openssl(
                ["smime", "-encrypt", "-aes128", "-binary", "-in", "message.txt", "-out", "token.p7m", certificate],
                in: directory)

            let text = try directory.contents(of: "token.p7m")
            let envelope = try SMIMEEnvelope.unwrap(Array(text))
            let plaintext = try EnvelopedData.decrypt(
                Data(envelope), key: Fixture.key, certificate: Fixture.certificate)
            #expect(try TokenMessage.parse(Array(plaintext)) == tokens)
        }
    }

    /// Cut anywhere, a token fails with a typed error: the S/MIME reader's (bad base64) or the
    /// envelope's (truncated CMS), never a crash and never a result.
    @Test func aTruncatedTokenIsATypedError() throws {
        let envelope = try EnvelopedData.encrypt(Data(TokenMessage.build(Self.tokens()).utf8), to: Fixture.certificate)
        let text = Array(SMIMEEnvelope.wrap(envelope).utf8)
        var base64Errors = 0
        for cut in stride(from: 300, to: text.count - 4, by: 37) {
            do {
                let bytes = try SMIMEEnvelope.unwrap(Array(text.prefix(cut)))
                #expect(throws: CryptoError.self) {
                    try EnvelopedData.decrypt(Data(bytes), key: Fixture.key, certificate: Fixture.certificate)
                }
            } catch {
                base64Errors += 1
            }
        }
        #expect(base64Errors > 0)
    }
}
