/// The results of reading an assignment CSV file that arrives as an asynchronous sequence of
/// byte chunks (an HTTP body, a file read block by block); a thin wrapper over
/// ``AssignmentCSVReader``, so memory stays bounded by one chunk plus one record.
public struct AssignmentCSVLines<Chunks: AsyncSequence>: AsyncSequence
where Chunks.Element: Collection<UInt8> {
    public typealias Element = AssignmentCSVLine
    public typealias Failure = Chunks.Failure

    private let chunks: Chunks
    private let maxLineLength: Int

    /// Lines read from `chunks`, with records over `maxLineLength` bytes reported too long.
    public init(chunks: Chunks, maxLineLength: Int = AssignmentCSVReader.defaultMaxLineLength) {
        self.chunks = chunks
        self.maxLineLength = maxLineLength
    }

    /// Starts reading from the beginning of the chunks.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(
            chunks: chunks.makeAsyncIterator(),
            reader: AssignmentCSVReader(maxLineLength: maxLineLength))
    }

    /// Pulls chunks only when the results of the previous one are used up.
    public struct AsyncIterator: AsyncIteratorProtocol {
        public typealias Element = AssignmentCSVLine
        public typealias Failure = Chunks.Failure

        private var chunks: Chunks.AsyncIterator
        private var reader: AssignmentCSVReader
        private var pending: [AssignmentCSVLine] = []
        private var nextIndex = 0
        private var isFinished = false

        fileprivate init(chunks: Chunks.AsyncIterator, reader: AssignmentCSVReader) {
            self.chunks = chunks
            self.reader = reader
        }

        /// The next result, or `nil` after the last; rethrows the chunk sequence's error.
        public mutating func next(
            isolation actor: isolated (any Actor)? = #isolation
        ) async throws(Failure) -> AssignmentCSVLine? {
            while nextIndex == pending.count {
                if isFinished { return nil }
                nextIndex = 0
                if let chunk = try await chunks.next(isolation: actor) {
                    pending = reader.feed(chunk)
                } else {
                    pending = reader.finish()
                    isFinished = true
                }
            }
            defer { nextIndex += 1 }
            return pending[nextIndex]
        }

        /// The next result, or `nil` after the last.
        public mutating func next() async throws(Failure) -> AssignmentCSVLine? {
            try await next(isolation: nil)
        }
    }
}

extension AssignmentCSVLines: Sendable where Chunks: Sendable {}

extension AsyncSequence where Element: Collection<UInt8> {
    /// Reads these byte chunks as an assignment CSV file (see ``AssignmentCSVReader``).
    public func assignmentCSVLines(
        maxLineLength: Int = AssignmentCSVReader.defaultMaxLineLength
    ) -> AssignmentCSVLines<Self> {
        AssignmentCSVLines(chunks: self, maxLineLength: maxLineLength)
    }
}
