import Testing

@testable import DEPWire

@Test(arguments: [
    (AssignmentOutcome.assigned, "assigned"), (.moved, "moved"),
    (.alreadyAssigned, "already_assigned"), (.unknownSerial, "unknown_serial"),
    (.released, "released"), (.malformed, "malformed"),
])
func outcomesAreSpelledInSnakeCase(outcome: AssignmentOutcome, rawValue: String) {
    #expect(outcome.rawValue == rawValue)
    #expect(AssignmentOutcome(rawValue: rawValue) == outcome)
}

@Test func theHeaderNamesTheColumnsSerialFirst() {
    #expect(AssignmentReportRow.headerRow == "serial_number,line,outcome,detail\r\n")
}

@Test func aRowIsWrittenInColumnOrder() {
    let row = AssignmentReportRow(
        line: 7, serial: "C02XK1JDJGH5", outcome: .moved, detail: "from \"Old MDM\", Paris")
    #expect(row.csvRow == "C02XK1JDJGH5,7,moved,\"from \"\"Old MDM\"\", Paris\"\r\n")
}

@Test func aMalformedRowCarriesTheOffendingTextAndTheReason() {
    let row = AssignmentReportRow(line: 3, error: .invalidSerial("C02-XK1"))
    #expect(row.serial == "C02-XK1")
    #expect(row.outcome == .malformed)
    #expect(row.detail == CSVLineError.invalidSerial("C02-XK1").description)
    #expect(AssignmentReportRow(line: 4, error: .bareQuote).serial == "")
}

private let sampleRows = [
    AssignmentReportRow(line: 2, serial: "C02XK1JDJGH5", outcome: .assigned),
    AssignmentReportRow(line: 3, serial: "F9FZK0QXPLKQ", outcome: .moved, detail: "from \"A, B\""),
    AssignmentReportRow(line: 5, error: .invalidSerial("x,\"y\"\nz")),
    AssignmentReportRow(line: 9, error: .unterminatedQuote),
    AssignmentReportRow(line: 10, serial: "DMPXL2K3JF8J", outcome: .unknownSerial),
]

@Test func reportRowsRoundTripThroughTheTokenizer() {
    let text = AssignmentReportRow.headerRow + sampleRows.map(\.csvRow).joined()
    var tokenizer = CSVTokenizer(maxRecordLength: 4096)
    var records: [[String]] = []
    Array(text.utf8).withUnsafeBufferPointer { buffer in
        tokenizer.feed(buffer) {
            if case .record(let record) = $0 { records.append(record.fields) }
        }
    }
    #expect(records.first == AssignmentReportRow.header)
    #expect(records.dropFirst().map { AssignmentReportRow(fields: $0) } == sampleRows)
}

@Test(arguments: [[], ["C02XK1JDJGH5", "x", "assigned", ""], ["C02XK1JDJGH5", "1", "lost", ""]])
func fieldsThatAreNotAReportRowAreRejected(fields: [String]) {
    #expect(AssignmentReportRow(fields: fields) == nil)
}

@Test func aReportCanBeUploadedAgain() {
    let text = AssignmentReportRow.headerRow + sampleRows.map(\.csvRow).joined()
    let serials = AssignmentCSVReader.lines(in: Array(text.utf8)).compactMap {
        if case .serial(let serial, _) = $0 { serial } else { nil }
    }
    #expect(serials == ["C02XK1JDJGH5", "F9FZK0QXPLKQ", "DMPXL2K3JF8J"])
}
