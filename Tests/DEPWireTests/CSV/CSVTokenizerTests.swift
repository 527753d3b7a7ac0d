import Testing

@testable import DEPWire

/// A tokenizer output in a form that is easy to write down in an expectation.
private enum Token: Equatable, CustomStringConvertible {
    case record([String], line: Int)
    case failure(CSVLineError, line: Int)

    init(_ output: CSVTokenizer.Output) {
        switch output {
        case .record(let record): self = .record(record.fields, line: record.line)
        case .failure(let error, let line): self = .failure(error, line: line)
        }
    }

    var description: String {
        switch self {
        case .record(let fields, let line): "\(line): \(fields)"
        case .failure(let error, let line): "\(line): \(error)"
        }
    }
}

/// Tokenizes `text` fed in chunks of `chunkSize` bytes (all at once by default).
private func tokens(_ text: String, limit: Int = 4096, chunkSize: Int = .max) -> [Token] {
    var tokenizer = CSVTokenizer(maxRecordLength: limit)
    var outputs: [Token] = []
    Array(text.utf8).withUnsafeBufferPointer { buffer in
        var start = 0
        while start < buffer.count {
            let end = start + min(chunkSize, buffer.count - start)
            tokenizer.feed(UnsafeBufferPointer(rebasing: buffer[start..<end])) {
                outputs.append(Token($0))
            }
            start = end
        }
    }
    tokenizer.finish { outputs.append(Token($0)) }
    return outputs
}

@Test func quotedFieldsKeepCommasEscapedQuotesAndLineEnds() {
    let text = "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nnext"
    #expect(
        tokens(text) == [
            .record(["a,b", "say \"hi\"", "two\nlines"], line: 1),
            .record(["next"], line: 3),
        ])
}

@Test(arguments: ["\n", "\r\n", "\r"])
func everyKindOfLineEndEndsARecord(lineEnd: String) {
    let text = ["a,b", "c", "", "d"].joined(separator: lineEnd) + lineEnd
    #expect(
        tokens(text) == [
            .record(["a", "b"], line: 1), .record(["c"], line: 2),
            .record([""], line: 3), .record(["d"], line: 4),
        ])
}

@Test(arguments: ["\n", "\r\n", "\r"])
func aLineEndInsideQuotesCountsAsOnePhysicalLine(lineEnd: String) {
    let text = "\"x\(lineEnd)y\(lineEnd)z\"\(lineEnd)after"
    #expect(
        tokens(text) == [
            .record(["x\(lineEnd)y\(lineEnd)z"], line: 1), .record(["after"], line: 4),
        ])
}

@Test func emptyFieldsAreKept() {
    #expect(tokens(",,\n\"\"\n") == [.record(["", "", ""], line: 1), .record([""], line: 2)])
}

@Test func spacesOutsideQuotesAreAllowedAndSpacesInUnquotedFieldsKept() {
    #expect(tokens("  \"a b\"\t , c ") == [.record(["a b", " c "], line: 1)])
}

@Test func theLastRecordNeedsNoLineEnd() {
    #expect(tokens("a\nb") == [.record(["a"], line: 1), .record(["b"], line: 2)])
    #expect(tokens("a,") == [.record(["a", ""], line: 1)])
}

@Test func emptyInputHasNoRecords() {
    #expect(tokens("").isEmpty)
}

@Test func aBareQuoteFailsOnlyItsLine() {
    #expect(
        tokens("ab\"c,\"d\nnext\n") == [
            .failure(.bareQuote, line: 1), .record(["next"], line: 2),
        ])
}

@Test func textAfterAClosingQuoteFailsOnlyItsLine() {
    #expect(
        tokens("\"ab\"c\r\nnext") == [
            .failure(.textAfterClosingQuote, line: 1), .record(["next"], line: 2),
        ])
}

@Test func aQuoteLeftOpenFailsAtTheEndWithTheLineItStartedOn() {
    #expect(
        tokens("ok\n\"abc\ndef\n") == [
            .record(["ok"], line: 1), .failure(.unterminatedQuote, line: 2),
        ])
}

@Test func aRecordOverTheLimitFailsAndTheNextOneIsRead() {
    #expect(
        tokens("abcdef\nabcde\n", limit: 5) == [
            .failure(.lineTooLong(limit: 5), line: 1), .record(["abcde"], line: 2),
        ])
}

@Test func aRecordCutInsideAQuotedFieldIsSkippedToTheFieldsEnd() {
    // The limit cuts a quoted multi-line field: its second line is part of it, not a record.
    #expect(
        tokens("\"abcdefgh\r\nij\"\r\nok", limit: 5) == [
            .failure(.lineTooLong(limit: 5), line: 1), .record(["ok"], line: 3),
        ])
}

@Test(arguments: [("\n", 4), ("\r", 4), ("\r\n", 4), ("\r\n", 5)])
func aLimitReachedAtAQuotedLineEndSkipsTheWholeRecord(lineEnd: String, limit: Int) {
    #expect(
        tokens("\"abc\(lineEnd)def\"\(lineEnd)ok", limit: limit) == [
            .failure(.lineTooLong(limit: limit), line: 1), .record(["ok"], line: 3),
        ])
}

@Test(arguments: [3, 4, 5, 6])
func doubledQuotesInASkippedFieldDoNotCloseIt(limit: Int) {
    #expect(
        tokens("\"ab\"\"\n\"\"c\nd\"\nok", limit: limit) == [
            .failure(.lineTooLong(limit: limit), line: 1), .record(["ok"], line: 4),
        ])
}

@Test func aSkippedQuotedFieldLeftOpenReportsOneRecord() {
    #expect(
        tokens("ok\n\"abcdef\ng\nh\n", limit: 5) == [
            .record(["ok"], line: 1), .failure(.lineTooLong(limit: 5), line: 2),
        ])
}

@Test(arguments: [1, 2, 3, 7])
func chunkSizeDoesNotChangeTheRecords(chunkSize: Int) {
    let text = "\u{FEFF}a,\"b\r\n\"\"c\"\"\"\r\n\r\nd€,e\rf\"g\n\"open"
    #expect(tokens(text, chunkSize: chunkSize) == tokens(text))
}
