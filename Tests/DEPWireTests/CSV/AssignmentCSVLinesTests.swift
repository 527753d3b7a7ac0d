import Testing

@testable import DEPWire

private let file = Array(
    "\u{FEFF}Serial Number\r\nC02XK1JDJGH5,\"a\nb\"\r\nbad\"\nF9FZK0QXPLKQ".utf8)

/// `bytes` cut into chunks of `size` bytes.
private func chunks(_ bytes: [UInt8], size: Int) -> [[UInt8]] {
    stride(from: 0, to: bytes.count, by: size).map {
        Array(bytes[$0..<min($0 + size, bytes.count)])
    }
}

private struct ChunkSourceFailed: Error {}

@Test(arguments: [1, 2, 5, 1000])
func theAsyncSequenceGivesTheSameResultsAsTheReader(chunkSize: Int) async {
    let stream = AsyncStream<[UInt8]> { continuation in
        for chunk in chunks(file, size: chunkSize) { continuation.yield(chunk) }
        continuation.finish()
    }
    var results: [AssignmentCSVLine] = []
    for await line in stream.assignmentCSVLines() { results.append(line) }
    #expect(results == AssignmentCSVReader.lines(in: file))
    #expect(
        results == [
            .serial("C02XK1JDJGH5", line: 2), .error(.bareQuote, line: 4),
            .serial("F9FZK0QXPLKQ", line: 5),
        ])
}

@Test func anEmptySequenceHasNoLines() async {
    let stream = AsyncStream<[UInt8]> { $0.finish() }
    var iterator = stream.assignmentCSVLines().makeAsyncIterator()
    #expect(await iterator.next() == nil)
    #expect(await iterator.next() == nil)
}

@Test func theLineLimitIsPassedToTheReader() async {
    let stream = AsyncStream<[UInt8]> { continuation in
        continuation.yield(Array("C02XK1JDJGH5,long\nF9FZK0QXPLKQ".utf8))
        continuation.finish()
    }
    var results: [AssignmentCSVLine] = []
    for await line in stream.assignmentCSVLines(maxLineLength: 12) { results.append(line) }
    #expect(
        results == [.error(.lineTooLong(limit: 12), line: 1), .serial("F9FZK0QXPLKQ", line: 2)])
}

@Test func anErrorFromTheChunksReachesTheCallerAfterTheLinesBeforeIt() async {
    let stream = AsyncThrowingStream<[UInt8], any Error> { continuation in
        continuation.yield(Array("C02XK1JDJGH5\nF9FZ".utf8))
        continuation.finish(throwing: ChunkSourceFailed())
    }
    var results: [AssignmentCSVLine] = []
    await #expect(throws: ChunkSourceFailed.self) {
        for try await line in stream.assignmentCSVLines() { results.append(line) }
    }
    #expect(results == [.serial("C02XK1JDJGH5", line: 1)])
}
