import Testing

@testable import DEPWire

private let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

/// Reads `bytes` as one file, fed in pieces cut at `splits` (ascending offsets).
private func read(
    _ bytes: [UInt8], splittingAt splits: [Int] = [], maxLineLength: Int = 4096
) -> [AssignmentCSVLine] {
    var reader = AssignmentCSVReader(maxLineLength: maxLineLength)
    var results: [AssignmentCSVLine] = []
    var start = 0
    for end in splits + [bytes.count] {
        results += reader.feed(bytes[start..<end])
        start = end
    }
    return results + reader.finish()
}

private func read(_ text: String) -> [AssignmentCSVLine] {
    read(Array(text.utf8))
}

/// A file with every feature the byte-boundary tests must survive.
private let awkwardFile: [UInt8] =
    byteOrderMark
    + Array(
        "Serial Number,Model\r\n\"c02xk1jdjgh5\",\"Mac, \"\"mini\"\"\nsecond line\"\r\n\r\n"
            .utf8)
    + Array("  F9FZK0QXPLKQ \t, €uro\rbad\"quote\nÅBCDEFGH1\n\"open".utf8)

private let awkwardFileResults: [AssignmentCSVLine] = [
    .serial("C02XK1JDJGH5", line: 2), .serial("F9FZK0QXPLKQ", line: 5),
    .error(.bareQuote, line: 6), .error(.invalidSerial("ÅBCDEFGH1"), line: 7),
    .error(.unterminatedQuote, line: 8),
]

@Test func readsOneSerialPerLine() {
    #expect(
        read("C02XK1JDJGH5\nF9FZK0QXPLKQ\n") == [
            .serial("C02XK1JDJGH5", line: 1), .serial("F9FZK0QXPLKQ", line: 2),
        ])
}

@Test(arguments: [true, false])
func aByteOrderMarkIsSkipped(hasByteOrderMark: Bool) {
    let bytes = (hasByteOrderMark ? byteOrderMark : []) + Array("Serial\nC02XK1JDJGH5".utf8)
    #expect(read(bytes) == [.serial("C02XK1JDJGH5", line: 2)])
}

@Test func aByteOrderMarkCountsOnlyAtTheStart() {
    let bytes = Array("C02XK1JDJGH5\n".utf8) + byteOrderMark + Array("F9FZK0QXPLKQ".utf8)
    #expect(
        read(bytes) == [
            .serial("C02XK1JDJGH5", line: 1),
            .error(.invalidSerial("\u{FEFF}F9FZK0QXPLKQ"), line: 2),
        ])
}

@Test(arguments: [[0xEF], [0xEF, 0xBB], [0xEF, 0x41]] as [[UInt8]])
func bytesThatOnlyStartAByteOrderMarkAreData(bytes: [UInt8]) {
    #expect(read(bytes) == [.error(.invalidUTF8, line: 1)])
}

@Test(arguments: ["\n", "\r\n", "\r"])
func everyKindOfLineEndIsAccepted(lineEnd: String) {
    let text = ["serial", "C02XK1JDJGH5", "", "F9FZK0QXPLKQ"].joined(separator: lineEnd)
    #expect(
        read(text + lineEnd) == [
            .serial("C02XK1JDJGH5", line: 2), .serial("F9FZK0QXPLKQ", line: 4),
        ])
}

@Test(arguments: [
    "Serial Number", "serial_number", "serial", "SERIAL NUMBER", "Serial_Number",
    "  Serial Number\t", "\"Serial Number\"", "Serial Number,Model,Notes",
])
func aHeaderRowIsSkipped(header: String) {
    #expect(read("\(header)\nC02XK1JDJGH5\n") == [.serial("C02XK1JDJGH5", line: 2)])
}

@Test func theHeaderMayFollowBlankLines() {
    #expect(read("\n \nserial\nC02XK1JDJGH5") == [.serial("C02XK1JDJGH5", line: 4)])
}

@Test func aFileWithoutAHeaderStartsWithASerial() {
    #expect(read("C02XK1JDJGH5,Model\n") == [.serial("C02XK1JDJGH5", line: 1)])
}

@Test(arguments: ["Serial No", "Serial #", "Serial  Number", "Model,Serial Number"])
func otherFirstCellsAreNotAHeader(header: String) {
    let results = read("\(header)\nC02XK1JDJGH5")
    #expect(results.count == 2)
    #expect(results.first.map { if case .error = $0 { true } else { false } } == true)
}

@Test func aHeaderAfterTheFirstRecordIsAnError() {
    #expect(
        read("C02XK1JDJGH5\nSerial Number\n") == [
            .serial("C02XK1JDJGH5", line: 1),
            .error(.invalidSerial("Serial Number"), line: 2),
        ])
}

@Test func quotedFieldsMayHoldCommasQuotesAndLineEnds() {
    let text = """
        "C02XK1JDJGH5","note, with a comma
        and a ""second"" line"
        F9FZK0QXPLKQ
        """
    #expect(
        read(text) == [.serial("C02XK1JDJGH5", line: 1), .serial("F9FZK0QXPLKQ", line: 3)])
}

@Test func extraColumnsAreIgnoredUnread() {
    let bytes = Array("C02XK1JDJGH5,MacBook Pro,\"a \"\"quoted\"\" note\",".utf8) + [0xE9, 0x0A]
    #expect(read(bytes) == [.serial("C02XK1JDJGH5", line: 1)])
}

@Test func blankLinesAndSurroundingWhitespaceAreIgnored() {
    let text = "\n  \n\t c02xk1jdjgh5 \t\n,,,\n\" \" , \n\"\",\"\"\n"
    #expect(read(text) == [.serial("C02XK1JDJGH5", line: 3)])
}

@Test(arguments: [
    ("C02-K1JDJGH5", "C02-K1JDJGH5"), ("SHORT12", "SHORT12"),
    ("ABCDEFGHIJKLMNOPQRSTU", "ABCDEFGHIJKLMNOPQRSTU"), ("C02XK1 JDJGH5", "C02XK1 JDJGH5"),
    ("ÅBCDEFGH1", "ÅBCDEFGH1"), (" \"C02XK1JDJGH5\"\"\" ", "C02XK1JDJGH5\""), (",Model", ""),
])
func invalidSerialsAreReportedWithTheirText(cells: String, value: String) {
    #expect(
        read("\(cells)\nC02XK1JDJGH5") == [
            .error(.invalidSerial(value), line: 1), .serial("C02XK1JDJGH5", line: 2),
        ])
}

@Test func aSerialCellThatIsNotUTF8IsReportedAsSuch() {
    let bytes = [0x43, 0x30, 0xFF, 0x58, 0x4B, 0x31, 0x4A, 0x44, 0x0A] + Array("F9FZK0QXPLKQ".utf8)
    #expect(read(bytes) == [.error(.invalidUTF8, line: 1), .serial("F9FZK0QXPLKQ", line: 2)])
}

@Test func aBareQuoteIsAnErrorOnItsLineAndLaterLinesStillParse() {
    #expect(
        read("C02XK1JDJGH5\nF9FZ\"K0QXPLKQ,x\nDMPXL2K3JF8J\n") == [
            .serial("C02XK1JDJGH5", line: 1), .error(.bareQuote, line: 2),
            .serial("DMPXL2K3JF8J", line: 3),
        ])
}

@Test func aQuoteLeftOpenAtTheEndIsAnErrorOnTheLineItOpened() {
    #expect(
        read("C02XK1JDJGH5\n\"F9FZK0QXPLKQ\nDMPXL2K3JF8J\n") == [
            .serial("C02XK1JDJGH5", line: 1), .error(.unterminatedQuote, line: 2),
        ])
}

@Test func theLineLimitIsConfigurableAndInclusive() {
    let text = "C02XK1JDJGH5,abc\nC02XK1JDJGH5,abcd\nF9FZK0QXPLKQ"
    #expect(
        AssignmentCSVReader.lines(in: Array(text.utf8), maxLineLength: 16) == [
            .serial("C02XK1JDJGH5", line: 1), .error(.lineTooLong(limit: 16), line: 2),
            .serial("F9FZK0QXPLKQ", line: 3),
        ])
}

@Test(arguments: [4093, 65_536, 10_000_000])
func aTenMegabyteLineIsAnErrorAndNeverBufferedWhole(chunkSize: Int) {
    let bytes =
        Array("C02XK1JDJGH5\n".utf8) + [UInt8](repeating: 0x41, count: 10_000_000)
        + Array("\r\nF9FZK0QXPLKQ\n".utf8)
    var reader = AssignmentCSVReader()
    var results: [AssignmentCSVLine] = []
    var largestBuffer = 0
    var start = 0
    while start < bytes.count {
        let end = min(start + chunkSize, bytes.count)
        results += reader.feed(bytes[start..<end])
        largestBuffer = max(largestBuffer, reader.bufferedByteCount)
        start = end
    }
    results += reader.finish()
    #expect(largestBuffer <= reader.maxLineLength)
    #expect(
        results == [
            .serial("C02XK1JDJGH5", line: 1), .error(.lineTooLong(limit: 4096), line: 2),
            .serial("F9FZK0QXPLKQ", line: 3),
        ])
}

@Test func aHugeQuotedFieldOfManyLinesIsOneMalformedRecord() {
    // 100,000 quoted line ends in one 200 kB field: one error, not 100,000 records.
    let field = "\"" + String(repeating: "x\n", count: 100_000) + "\""
    let text = "C02XK1JDJGH5\n" + field + ",note\nF9FZK0QXPLKQ\n"
    #expect(
        read(text) == [
            .serial("C02XK1JDJGH5", line: 1), .error(.lineTooLong(limit: 4096), line: 2),
            .serial("F9FZK0QXPLKQ", line: 100_003),
        ])
}

@Test func theAwkwardFileReadsAsExpected() {
    #expect(read(awkwardFile) == awkwardFileResults)
}

@Test func splittingTheInputAtAnyTwoBytesGivesTheSameResults() {
    for first in 0...awkwardFile.count {
        for second in first...awkwardFile.count {
            let results = read(awkwardFile, splittingAt: [first, second])
            #expect(results == awkwardFileResults, "split at \(first) and \(second)")
            if results != awkwardFileResults { return }
        }
    }
}

@Test func feedingOneByteAtATimeGivesTheSameResults() {
    #expect(read(awkwardFile, splittingAt: Array(0...awkwardFile.count)) == awkwardFileResults)
}

/// The places where a chunk boundary is most likely to go wrong.
enum AwkwardSplit: CaseIterable {
    case insideTheByteOrderMark, afterTheByteOrderMark, insideCRLF, insideAMultiByteCharacter

    var offsets: [Int] {
        switch self {
        case .insideTheByteOrderMark: [1, 2]
        case .afterTheByteOrderMark: [3]
        case .insideCRLF:
            awkwardFile.indices.filter { awkwardFile[$0] == 0x0D && awkwardFile[$0 + 1] == 0x0A }
                .map { $0 + 1 }
        case .insideAMultiByteCharacter:
            awkwardFile.indices.filter { $0 > 3 && awkwardFile[$0] & 0xC0 == 0x80 }
        }
    }
}

@Test(arguments: AwkwardSplit.allCases)
func splittingAtAnAwkwardPlaceGivesTheSameResults(split: AwkwardSplit) {
    #expect(!split.offsets.isEmpty)
    for offset in split.offsets {
        #expect(read(awkwardFile, splittingAt: [offset]) == awkwardFileResults, "at \(offset)")
    }
}

@Test func finishLeavesTheReaderReadyForANewFile() {
    var reader = AssignmentCSVReader()
    _ = reader.feed(byteOrderMark + Array("serial\nC02XK1JDJGH5\n\"open".utf8))
    _ = reader.finish()
    let second = reader.feed(byteOrderMark + Array("Serial\nF9FZK0QXPLKQ".utf8)) + reader.finish()
    #expect(second == [.serial("F9FZK0QXPLKQ", line: 2)])
}

@Test func aCollectionWithoutContiguousStorageGivesTheSameResults() {
    var reader = AssignmentCSVReader()
    let results = reader.feed(awkwardFile.lazy.map { $0 }) + reader.finish()
    #expect(results == awkwardFileResults)
}

/// A small seeded generator, so the generated files are the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Test func generatedFilesReadTheSameWhereverTheyAreSplit() {
    let pieces: [[UInt8]] =
        [[0xEF, 0xBB, 0xBF], [0xC3, 0x85], [0xFF]]
        + ["C02XK1JDJGH5", "serial", ",", "\"", "\"\"", "\r", "\n", "\r\n", " ", "x"].map {
            Array($0.utf8)
        }
    var generator = SplitMix64(state: 42)
    for _ in 0..<300 {
        let bytes = (0..<Int.random(in: 0...12, using: &generator)).flatMap { _ in
            pieces.randomElement(using: &generator)!
        }
        let whole = read(bytes, maxLineLength: 14)
        for split in 0...bytes.count {
            var reader = AssignmentCSVReader(maxLineLength: 14)
            let results = reader.feed(bytes[..<split]) + reader.feed(bytes[split...])
            #expect(reader.bufferedByteCount <= 14)
            #expect(results + reader.finish() == whole, "\(bytes) split at \(split)")
        }
    }
}
