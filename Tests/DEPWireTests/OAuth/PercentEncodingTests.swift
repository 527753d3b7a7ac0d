import Testing

@testable import DEPWire

/// RFC 3986 percent-encoding as OAuth uses it (dep-api §2.1, RFC 5849 §3.6).
struct PercentEncodingTests {
    @Test func unreservedCharactersAreKept() {
        let unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
        #expect(PercentEncoding.encode(unreserved) == unreserved)
    }

    @Test(arguments: [
        (" ", "%20"), ("/", "%2F"), ("+", "%2B"), ("=", "%3D"), ("&", "%26"), ("%", "%25"),
        ("*", "%2A"), ("!", "%21"), (":", "%3A"), ("\n", "%0A"), ("é", "%C3%A9"), ("☃", "%E2%98%83"),
        ("AlHUeHHb10fzxbG2oGrT2YWUNlg=", "AlHUeHHb10fzxbG2oGrT2YWUNlg%3D"),
    ])
    func reservedAndNonASCIIBytesBecomeUpperCaseEscapes(text: String, encoded: String) {
        #expect(PercentEncoding.encode(text) == encoded)
        #expect(PercentEncoding.decode(encoded) == text)
    }

    @Test func decodingAcceptsLowerCaseHex() {
        #expect(PercentEncoding.decode("%c3%a9%2f") == "é/")
    }

    @Test func decodingKeepsPlusAsPlus() {
        #expect(PercentEncoding.decode("a+b") == "a+b")
    }

    @Test func formDecodingTurnsPlusIntoSpace() {
        #expect(PercentEncoding.decodeForm(utf8: "a+b%2B".utf8) == "a b+")
    }

    @Test(arguments: ["%", "%2", "abc%4", "%zz", "%G0", "%-1", "100%"])
    func decodingRejectsMalformedEscapes(text: String) {
        #expect(PercentEncoding.decode(text) == nil)
    }

    @Test func decodingRejectsBytesThatAreNotUTF8() {
        #expect(PercentEncoding.decode("%FF%FE") == nil)
    }

    @Test func encodingThenDecodingGivesBackTheText() {
        let text = "CS_/+= é&%\u{0}~☃"
        #expect(PercentEncoding.decode(PercentEncoding.encode(text)) == text)
    }
}
