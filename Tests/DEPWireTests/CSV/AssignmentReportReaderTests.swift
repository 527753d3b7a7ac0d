import DEPWire
import Testing

private let rows = [
    AssignmentReportRow(line: 2, serial: "C02XK1JDJGH5", outcome: .assigned),
    AssignmentReportRow(line: 3, serial: "F9FZK0QXPLKQ", outcome: .moved, detail: "moved from \"A, B\""),
    AssignmentReportRow(line: 5, error: .invalidSerial("x,\"y\"\r\nz")),
    AssignmentReportRow(line: 6, error: .invalidSerial("@evil")),
    AssignmentReportRow(line: 9, error: .unterminatedQuote),
]

@Test func aReportReadsBackAsTheRowsWrittenHeaderSkipped() {
    let text = AssignmentReportRow.headerRow + rows.map(\.csvRow).joined()
    #expect(AssignmentReportReader.rows(in: Array(text.utf8)) == rows)
}

@Test(arguments: [1, 2, 5, 64])
func aReportReadInChunksGivesTheSameRows(chunkSize: Int) {
    let bytes = Array((AssignmentReportRow.headerRow + rows.map(\.csvRow).joined()).utf8)
    var reader = AssignmentReportReader()
    var read: [AssignmentReportRow] = []
    var start = 0
    while start < bytes.count {
        read += reader.feed(bytes[start..<min(start + chunkSize, bytes.count)])
        start += chunkSize
    }
    read += reader.finish()
    #expect(read == rows)
}

@Test func recordsThatAreNotReportRowsAreSkipped() {
    let text = "serial_number,line,outcome,detail\r\nnonsense\r\nC02XK1JDJGH5,2,assigned,\r\nA,x,assigned,\r\n"
    #expect(
        AssignmentReportReader.rows(in: Array(text.utf8)) == [
            AssignmentReportRow(line: 2, serial: "C02XK1JDJGH5", outcome: .assigned)
        ])
}
