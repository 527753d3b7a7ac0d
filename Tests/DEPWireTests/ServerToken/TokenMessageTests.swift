import Testing

@testable import DEPWire

/// The decrypted inner message of a server token (dep-api §1.2, §1.4).
struct TokenMessageTests {
    static let golden =
        "Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
        + "-----BEGIN MESSAGE-----\n" + OAuthTokensTests.sampleJSON + "\n-----END MESSAGE-----\n"

    @Test func buildWritesApplesBytesExactly() {
        #expect(TokenMessage.build(OAuthTokensTests.sample) == Self.golden)
    }

    @Test func appleShapedTokensMakeA498ByteMessage() {
        #expect(TokenMessage.build(OAuthTokensTests.sample).utf8.count == 498)
    }

    @Test func parseReadsWhatBuildWrote() throws {
        #expect(try TokenMessage.parse(Self.golden) == OAuthTokensTests.sample)
        #expect(try TokenMessage.parse(Array(Self.golden.utf8)) == OAuthTokensTests.sample)
    }

    /// Found by FuzzTokenMessage: an expiry with a fraction of a second was kept, then written
    /// back in whole seconds, so the tokens built again read back as another date.
    @Test func anExpiryWithAFractionIsReadToTheSecondAndRebuildsTheSame() throws {
        let message = Self.golden.replacing("2026-01-17T11:02:21Z", with: "2026-01-17T11:02:21.999Z")
        let tokens = try TokenMessage.parse(message)
        #expect(tokens == OAuthTokensTests.sample)
        #expect(try TokenMessage.parse(TokenMessage.build(tokens)) == tokens)
    }

    @Test(arguments: [
        ("LF everywhere", golden.replacing("\r\n", with: "\n")),
        ("CRLF everywhere", golden.replacing("\r\n", with: "\n").replacing("\n", with: "\r\n")),
        ("no headers", "-----BEGIN MESSAGE-----\n" + OAuthTokensTests.sampleJSON + "\n-----END MESSAGE-----"),
        ("no final line end", String(golden.dropLast())),
        ("text around the armour", golden.replacing("-----BEGIN", with: "preamble\n-----BEGIN") + "trailer\n"),
        ("JSON over several lines", golden.replacing(",\"", with: ",\r\n  \"")),
        (
            "keys in another order",
            golden.replacing(
                OAuthTokensTests.sampleJSON,
                with: #"{"access_token_expiry":"2026-01-17T11:02:21Z","#
                    + OAuthTokensTests.sampleJSON.dropFirst()
                    .replacing(#","access_token_expiry":"2026-01-17T11:02:21Z""#, with: ""))
        ),
        ("an unknown extra key", golden.replacing("{\"consumer_key\"", with: "{\"extra\":1,\"consumer_key\"")),
    ])
    func parseToleratesLineEndsAndLayout(variant: String, message: String) throws {
        #expect(try TokenMessage.parse(message) == OAuthTokensTests.sample, "\(variant)")
    }

    @Test(arguments: [
        "",
        "Content-Type: text/plain\r\n\r\n" + OAuthTokensTests.sampleJSON,
        golden.replacing("-----BEGIN MESSAGE-----\n", with: ""),
        golden.replacing("-----END MESSAGE-----\n", with: ""),
        golden.replacing("-----BEGIN MESSAGE-----", with: "-----BEGIN MESSAGE----"),
        "-----END MESSAGE-----\n{}\n-----BEGIN MESSAGE-----\n",
    ])
    func aMessageWithoutBothArmourLinesIsRejected(message: String) {
        #expect(throws: ServerTokenError.missingArmour) { try TokenMessage.parse(message) }
    }

    @Test(arguments: ["", "not json", "{\"consumer_key\":", "[]", "\"text\"", "null", "{\"consumer_key\":42}"])
    func bodyThatIsNotAJSONObjectOfStringsIsRejected(json: String) {
        let message = "-----BEGIN MESSAGE-----\n\(json)\n-----END MESSAGE-----\n"
        #expect {
            try TokenMessage.parse(message)
        } throws: { error in
            guard case .invalidJSON = error as? ServerTokenError else { return false }
            return true
        }
    }

    @Test(arguments: ["consumer_key", "consumer_secret", "access_token", "access_secret", "access_token_expiry"])
    func aMissingFieldIsNamed(key: String) {
        let json = OAuthTokensTests.sampleJSON.replacing("\"\(key)\":", with: "\"x_\(key)\":")
        #expect(throws: ServerTokenError.missingField(key)) {
            try TokenMessage.parse(Self.golden.replacing(OAuthTokensTests.sampleJSON, with: json))
        }
    }

    @Test func anEmptyOrNullFieldCountsAsMissing() {
        let empty = OAuthTokensTests.sampleJSON.replacing(
            #""AS_f6e5d4c3b2f6e5d4c3b2f6e5d4c3b2f6e5d4c3b2""#, with: #""""#)
        #expect(throws: ServerTokenError.missingField("access_secret")) {
            try TokenMessage.parse(Self.golden.replacing(OAuthTokensTests.sampleJSON, with: empty))
        }
        let null = OAuthTokensTests.sampleJSON.replacing(
            #""AS_f6e5d4c3b2f6e5d4c3b2f6e5d4c3b2f6e5d4c3b2""#, with: "null")
        #expect(throws: ServerTokenError.missingField("access_secret")) {
            try TokenMessage.parse(Self.golden.replacing(OAuthTokensTests.sampleJSON, with: null))
        }
    }

    @Test(arguments: ["2026-01-17", "2026-13-17T11:02:21Z", "2026-01-17T11:02:21", "tomorrow"])
    func anExpiryThatIsNotADateTimeIsRejected(expiry: String) {
        let message = Self.golden.replacing("2026-01-17T11:02:21Z", with: expiry)
        #expect(throws: ServerTokenError.invalidExpiry(expiry)) { try TokenMessage.parse(message) }
    }

    @Test func errorMessagesNameTheFieldButNotSecrets() {
        let error = ServerTokenError.missingField("access_secret")
        #expect(error.description.contains("access_secret"))
    }

    @Test func everyTruncationAndByteChangeEndsInTokensOrATypedError() {
        let golden = Array(Self.golden.utf8)
        for index in golden.indices {
            _ = try? TokenMessage.parse(golden[..<index])
            for replacement in [0x00, 0x0A, 0x0D, 0x22, 0x7B, 0xFF] as [UInt8] {
                var damaged = golden
                damaged[index] = replacement
                _ = try? TokenMessage.parse(damaged)
            }
        }
    }
}
