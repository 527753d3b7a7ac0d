import Testing

@testable import DEPWire

/// The outer S/MIME text of a `.p7m` token file (dep-api §1.2, §1.4).
struct SMIMEEnvelopeTests {
    static let header =
        "Content-Type: application/pkcs7-mime; name=\"smime.p7m\"; smime-type=enveloped-data\r\n"
        + "Content-Transfer-Encoding: base64\r\n"
        + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n"
        + "Content-Description: S/MIME Encrypted Message\r\n"
        + "\r\n"

    /// The bytes 0…99 wrapped: one full 76-column line and a padded tail (base64 from Python).
    static let golden =
        header
        + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\r\n"
        + "OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiYw==\r\n"

    static let bytes = [UInt8](0..<100)

    @Test func wrapWritesApplesHeadersAnd76ColumnBase64WithCRLF() {
        #expect(SMIMEEnvelope.wrap(Self.bytes) == Self.golden)
    }

    @Test func anExactMultipleOf57BytesFillsWholeLines() {
        let text = SMIMEEnvelope.wrap([UInt8](0..<57))
        #expect(
            text == Self.header + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\r\n")
    }

    @Test(arguments: [1, 2, 3, 56, 57, 58, 114, 500, 1027])
    func unwrapReadsWhatWrapWrote(count: Int) throws {
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let text = SMIMEEnvelope.wrap(bytes)
        let bodyLines = text.dropFirst(Self.header.count).split(separator: "\r\n")
        #expect(bodyLines.dropLast().allSatisfy { $0.utf8.count == 76 })
        #expect(bodyLines.last.map { (1...76).contains($0.utf8.count) } == true)
        #expect(try SMIMEEnvelope.unwrap(text) == bytes)
    }

    @Test(arguments: [
        ("LF only", golden.replacing("\r\n", with: "\n")),
        ("mixed line ends", golden.replacing("base64\r\n", with: "base64\n").replacing("Njc4\r\n", with: "Njc4\n")),
        ("one long base64 line", golden.replacing("Njc4\r\n", with: "Njc4")),
        ("spaces and tabs in the body", golden.replacing("AAEC", with: " AA\tEC ")),
        ("no final line end", String(golden.dropLast())),  // "\r\n" is one Character
        (
            "header names and media type in any case",
            golden
                .replacing("Content-Type: application/pkcs7-mime", with: "content-type: Application/PKCS7-MIME")
                .replacing("Content-Transfer-Encoding: base64", with: "CONTENT-TRANSFER-ENCODING: BASE64")
        ),
        ("legacy x-pkcs7-mime", golden.replacing("application/pkcs7-mime", with: "application/x-pkcs7-mime")),
        ("only a Content-Type", "Content-Type: application/pkcs7-mime\n\n" + golden.split(separator: "\r\n\r\n")[1]),
        ("a folded header", golden.replacing("; smime-type", with: ";\r\n\tsmime-type")),
        ("extra blank lines after the body", golden + "\r\n\r\n"),
    ])
    func unwrapToleratesLineEndsAndLayout(variant: String, text: String) throws {
        #expect(try SMIMEEnvelope.unwrap(text) == Self.bytes, "\(variant)")
    }

    @Test func unwrapAcceptsBytes() throws {
        #expect(try SMIMEEnvelope.unwrap(Array(Self.golden.utf8)) == Self.bytes)
    }

    @Test func applesBERPrefixDecodesToAnIndefiniteLengthEnvelopedData() throws {
        let text = Self.header + "MIAGCSqGSIb3DQEHA6CAMIACAQAx\r\n"
        #expect(
            try SMIMEEnvelope.unwrap(text).prefix(13) == [
                0x30, 0x80, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x03,
            ])
    }

    @Test(arguments: [
        "",
        "MIAGCSqGSIb3DQEHA6CAMIACAQAx",
        "Content-Type: application/pkcs7-mime\r\nContent-Transfer-Encoding: base64\r\n",
    ])
    func textWithoutABlankLineIsRejected(text: String) {
        #expect(throws: ServerTokenError.missingBlankLine) { try SMIMEEnvelope.unwrap(text) }
    }

    @Test(arguments: [
        ("Content-Type: text/plain\r\n\r\nAAAA\r\n", "text/plain"),
        ("Content-Type: application/pkcs7-signature; name=smime.p7s\r\n\r\nAAAA\r\n", "application/pkcs7-signature"),
        ("Content-Transfer-Encoding: base64\r\n\r\nAAAA\r\n", ""),
        ("\r\nAAAA\r\n", ""),
    ])
    func aContentTypeOtherThanPKCS7MIMEIsRejected(text: String, found: String) {
        #expect(throws: ServerTokenError.notPKCS7MIME(found)) { try SMIMEEnvelope.unwrap(text) }
    }

    @Test func aTransferEncodingOtherThanBase64IsRejected() {
        let text = Self.golden.replacing("Content-Transfer-Encoding: base64", with: "Content-Transfer-Encoding: binary")
        #expect(throws: ServerTokenError.unsupportedTransferEncoding("binary")) { try SMIMEEnvelope.unwrap(text) }
    }

    @Test(arguments: [
        ("truncated mid-line", String(golden.dropLast(12))),
        ("truncated after the header", header),
        ("a bad character", golden.replacing("AAEC", with: "AA*C")),
        ("padding in the middle", golden.replacing("AAEC", with: "AA==")),
        ("three padding characters", header + "A===\r\n"),
        ("binary garbage", header + "\u{0}\u{1}\u{2}\u{3}"),
    ])
    func invalidBase64IsRejectedWithoutCrashing(variant: String, text: String) {
        #expect {
            try SMIMEEnvelope.unwrap(text)
        } throws: { error in
            guard case .invalidBase64 = error as? ServerTokenError else { return false }
            return true
        }
    }

    @Test func aBodyBrokenAtAnotherWidthStillReads() throws {
        // PEM-style 64-column lines, as `openssl base64` writes them.
        let body = SMIMEEnvelope.wrap(Self.bytes).split(separator: "\r\n\r\n")[1].replacing("\r\n", with: "")
        var rebroken = ""
        for (index, character) in body.enumerated() {
            if index > 0, index % 64 == 0 { rebroken += "\n" }
            rebroken.append(character)
        }
        #expect(try SMIMEEnvelope.unwrap(Self.header + rebroken) == Self.bytes)
    }

    @Test func everyTruncationAndByteChangeEndsInBytesOrATypedError() {
        // Whatever the damage, the reader returns or throws `ServerTokenError`; it never traps.
        let golden = Array(Self.golden.utf8)
        for index in golden.indices {
            _ = try? SMIMEEnvelope.unwrap(golden[..<index])
            for replacement in [0x00, 0x0A, 0x0D, 0x3D, 0x2A, 0xFF] as [UInt8] {
                var damaged = golden
                damaged[index] = replacement
                _ = try? SMIMEEnvelope.unwrap(damaged)
            }
        }
    }
}
