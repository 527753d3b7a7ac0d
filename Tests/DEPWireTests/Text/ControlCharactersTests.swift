import DEPWire
import Testing

@Suite struct ControlCharactersTests {
    @Test func plainTextHasNoControlCharacters() {
        #expect(!"Acme MDM – Zürich 1".containsControlCharacters)
        #expect("Acme MDM – Zürich 1".escapingControlCharacters == "Acme MDM – Zürich 1")
    }

    @Test func nulEscapesAndC1ControlsAreFound() {
        #expect("New\u{0}Evil".containsControlCharacters)
        #expect("\u{1B}[2J".containsControlCharacters)
        #expect("a\u{7F}".containsControlCharacters)
        #expect("a\u{85}b".containsControlCharacters)
    }

    @Test func controlCharactersPrintAsVisibleEscapes() {
        #expect("\u{1B}[2JX".escapingControlCharacters == #"\e[2JX"#)
        #expect("a\u{0}b\tc\nd\re".escapingControlCharacters == #"a\0b\tc\nd\re"#)
        #expect("x\u{7}\u{9B}".escapingControlCharacters == #"x\u{7}\u{9B}"#)
    }
}
