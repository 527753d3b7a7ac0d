import Testing

@testable import DEPWire

@Test(arguments: [
    ("C02XK1JDJGH5", "C02XK1JDJGH5"), ("c02xk1jdjgh5", "C02XK1JDJGH5"),
    ("  F9FZK0QXPLKQ\t", "F9FZK0QXPLKQ"), ("\r\nDMPXL2K3JF\n", "DMPXL2K3JF"),
    ("W8811XYZ", "W8811XYZ"), ("ABCDEFGHIJKLMNOPQRST", "ABCDEFGHIJKLMNOPQRST"),
    ("12345678", "12345678"),
])
func aValidSerialIsTrimmedAndUpperCased(text: String, serial: String) {
    #expect(SerialNumber.normalized(text) == serial)
    #expect(SerialNumber.isValid(text))
}

@Test(arguments: [
    "", "   ", "ABC1234", "ABCDEFGHIJKLMNOPQRSTU", "C02X-K1JDJGH5", "C02X K1JDJGH5",
    "C02XK1JDJGH\u{0130}", "ＣＯ２ＸＫ１ＪＤＪＧＨ５", "C02XK1JDJGH5\u{00A0}", "C02XK1JD\"JGH5",
])
func anythingElseIsNotASerial(text: String) {
    #expect(SerialNumber.normalized(text) == nil)
    #expect(!SerialNumber.isValid(text))
}

@Test func theBytePathAgreesWithTheTextPath() {
    for text in ["c02xk1jdjgh5", " F9FZK0QXPLKQ ", "bad-serial", "ÅBCDEFGH1"] {
        #expect(
            SerialNumber.normalized(utf8: Array(text.utf8)[...]) == SerialNumber.normalized(text))
    }
}
