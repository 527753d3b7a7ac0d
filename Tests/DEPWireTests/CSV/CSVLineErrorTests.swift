import Testing

@testable import DEPWire

@Test(arguments: [
    (CSVLineError.bareQuote, "quote the whole field"),
    (.textAfterClosingQuote, "quote the whole field"),
    (.unterminatedQuote, "add the closing quote"),
    (.lineTooLong(limit: 4096), "longer than 4096 bytes"),
    (.invalidSerial("C02-K1"), "\"C02-K1\" is not a serial number: expected 8 to 20"),
    (.invalidSerial(""), "the first column is empty"),
    (.invalidUTF8, "save the file as UTF-8"),
])
func everyErrorSaysWhatToDo(error: CSVLineError, advice: String) {
    #expect(error.description.contains(advice))
}

@Test func onlyAnInvalidSerialCarriesAValue() {
    #expect(CSVLineError.invalidSerial("x").value == "x")
    #expect(CSVLineError.bareQuote.value == nil)
    #expect(CSVLineError.lineTooLong(limit: 1).value == nil)
}
