import Testing

@testable import DEPWire

@Test(arguments: [
    ("plain", "plain"), ("", ""), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
    ("two\nlines", "\"two\nlines\""), ("cr\rhere", "\"cr\rhere\""), ("\"", "\"\"\"\""),
    (" padded ", " padded "), ("é€😀", "é€😀"),
])
func aFieldIsQuotedOnlyWhenItMustBe(field: String, written: String) {
    #expect(CSVWriter.row([field]) == written + "\r\n")
    #expect(CSVWriter.needsQuoting(field) == (field != written))
}

@Test func fieldsAreJoinedByCommasAndTheRowEndsWithCRLF() {
    #expect(CSVWriter.row(["a", "b,c", ""]) == "a,\"b,c\",\r\n")
    #expect(CSVWriter.lineEnding == "\r\n")
}

@Test func appendRowBuildsUpADocument() {
    var document = ""
    CSVWriter.appendRow(["x"], to: &document)
    CSVWriter.appendRow(["y", "z"], to: &document)
    #expect(document == "x\r\ny,z\r\n")
}

@Test func writtenRowsReadBackAsTheSameFields() {
    let rows = [
        ["plain", "", " spaced ", "a,b"], ["\"quoted\"", "multi\r\nline\nfield", "é€😀"],
        [""], ["tab\tinside", "\"", ",", "\r"],
    ]
    var tokenizer = CSVTokenizer(maxRecordLength: 4096)
    var records: [[String]] = []
    Array(rows.map(CSVWriter.row).joined().utf8).withUnsafeBufferPointer { buffer in
        tokenizer.feed(buffer) {
            if case .record(let record) = $0 { records.append(record.fields) }
        }
    }
    tokenizer.finish { _ in Issue.record("nothing should be left at the end") }
    #expect(records == rows)
}
