import Testing

@testable import DEPWire

/// Line splitting shared by the token's two MIME layers (dep-api §1.2).
struct MIMELinesTests {
    @Test(arguments: [
        ("a\r\nb\r\n", ["a", "b"]),
        ("a\nb\n", ["a", "b"]),
        ("a\nb", ["a", "b"]),
        ("a\r\n\nb", ["a", "", "b"]),
        ("a\r\n\r\n", ["a", ""]),
        ("a\r\r\nb", ["a\r", "b"]),
        ("\n", [""]),
        ("", []),
    ])
    func crlfAndLFSplitAlikeAndATrailingLineEndIsNoBlankLine(text: String, lines: [String]) {
        #expect(MIMELines.split(Array(text.utf8)) == lines)
    }

    @Test func headerWhitespaceIsTrimmed() {
        #expect(" \t a b \t".trimmingMIMEWhitespace() == "a b")
        #expect("   ".trimmingMIMEWhitespace() == "")
    }
}
