/// The RFC 4180 state machine: turns bytes, fed in chunks of any size, into records.
///
/// It works on bytes only (UTF-8 passes through untouched) and keeps at most one record's
/// field bytes, never more than `maxRecordLength`. Beyond the RFC it accepts LF and a lone CR
/// as line ends as well as CRLF, and spaces or tabs before an opening or after a closing
/// quote. After any error it skips to the end of the record and starts afresh, so one broken
/// record costs one record: a record too long inside a quoted field is skipped to the field's
/// closing quote first, so the line ends quoted in it never start records of their own.
struct CSVTokenizer: Sendable {
    /// What the tokenizer reports: a complete record, or a record it had to give up on.
    enum Output: Hashable, Sendable {
        case record(CSVRecord)
        case failure(CSVLineError, line: Int)
    }

    private enum Mode: Sendable {
        case fieldStart, unquoted, quoted, quoteInQuoted, afterClosingQuote
        /// Given up on: skipping to the line end, or first to the closing quote of a quoted field.
        case skippingLine, skippingQuoted, skippingQuoteInQuoted

        /// Whether a line end here is data, not the end of the record.
        var isInsideQuotes: Bool { self == .quoted || self == .skippingQuoted }
        var isSkipping: Bool { self == .skippingLine || self == .skippingQuoted || self == .skippingQuoteInQuoted }
    }

    /// The longest record, in bytes without its line end, that is kept; longer is an error.
    let maxRecordLength: Int

    private var mode = Mode.fieldStart
    private var fieldBytes: [UInt8] = []
    private var fieldEnds: [Int] = []
    private var recordLength = 0
    private var unquotedFieldIsBlank = true
    private var line = 1
    private var recordLine = 1
    private var previousWasCR = false
    private var swallowsLF = false

    /// A tokenizer that gives up on records longer than `maxRecordLength` bytes.
    init(maxRecordLength: Int) {
        precondition(maxRecordLength > 0, "maxRecordLength must be positive")
        self.maxRecordLength = maxRecordLength
    }

    /// How many field bytes are held for the record in progress (never above the limit).
    var bufferedByteCount: Int { fieldBytes.count }

    /// Consumes `bytes`, passing each record completed by them to `emit`, in order.
    mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (Output) -> Void) {
        for byte in bytes { consume(byte, emit) }
    }

    /// Ends the input: emits the last record if it had no line end, or the error for a quoted
    /// field left open; then starts over as a fresh tokenizer.
    mutating func finish(_ emit: (Output) -> Void) {
        switch mode {
        case .quoted: emit(.failure(.unterminatedQuote, line: recordLine))
        case .fieldStart where recordLength == 0, .skippingLine, .skippingQuoted, .skippingQuoteInQuoted: break
        default: endRecord(emit)
        }
        self = CSVTokenizer(maxRecordLength: maxRecordLength)
    }

    private mutating func consume(_ byte: UInt8, _ emit: (Output) -> Void) {
        let followsCR = previousWasCR
        previousWasCR = byte == .cr
        let swallowLF = swallowsLF
        swallowsLF = false
        if byte == .lf || byte == .cr {
            let startsLine = !(byte == .lf && followsCR)  // CRLF is one line end
            guard mode.isInsideQuotes else {
                if byte == .lf && swallowLF { return }  // the CR before it ended the record
                if !mode.isSkipping { endRecord(emit) }
                startRecord(nextLine: startsLine ? line + 1 : line)
                swallowsLF = byte == .cr
                return
            }
            if startsLine { line += 1 }
        }
        switch mode {
        case .skippingLine: return
        case .skippingQuoted:
            if byte == .quote { mode = .skippingQuoteInQuoted }
            return
        case .skippingQuoteInQuoted:  // `""` is a quote in the field; anything else closed it
            mode = byte == .quote ? .skippingQuoted : .skippingLine
            return
        default: break
        }
        recordLength += 1
        guard recordLength <= maxRecordLength else {
            let wasQuoted = mode == .quoted
            let wasQuoteInQuoted = mode == .quoteInQuoted
            fail(.lineTooLong(limit: maxRecordLength), emit)
            // Still inside a quoted field: skip to its closing quote, line ends included.
            if wasQuoted {
                mode = byte == .quote ? .skippingQuoteInQuoted : .skippingQuoted
            } else if wasQuoteInQuoted, byte == .quote {
                mode = .skippingQuoted
            }
            return
        }
        switch (mode, byte) {
        case (.quoted, .quote): mode = .quoteInQuoted
        case (.quoted, _): fieldBytes.append(byte)
        case (.quoteInQuoted, .quote):
            fieldBytes.append(byte)
            mode = .quoted
        case (.fieldStart, .quote): mode = .quoted
        case (.unquoted, .quote) where unquotedFieldIsBlank:
            fieldBytes.removeSubrange((fieldEnds.last ?? 0)...)  // spaces before a quote
            mode = .quoted
        case (.unquoted, .quote): fail(.bareQuote, emit)
        case (_, .comma):
            fieldEnds.append(fieldBytes.count)
            mode = .fieldStart
        case (.quoteInQuoted, .space), (.quoteInQuoted, .tab): mode = .afterClosingQuote
        case (.afterClosingQuote, .space), (.afterClosingQuote, .tab): break
        case (.quoteInQuoted, _), (.afterClosingQuote, _): fail(.textAfterClosingQuote, emit)
        case (.fieldStart, _), (.unquoted, _):
            if mode == .fieldStart { unquotedFieldIsBlank = true }
            if byte != .space && byte != .tab { unquotedFieldIsBlank = false }
            fieldBytes.append(byte)
            mode = .unquoted
        case (.skippingLine, _), (.skippingQuoted, _), (.skippingQuoteInQuoted, _): break
        }
    }

    /// Hands over the record in progress (closing its last field).
    private mutating func endRecord(_ emit: (Output) -> Void) {
        fieldEnds.append(fieldBytes.count)
        emit(.record(CSVRecord(line: recordLine, bytes: fieldBytes, fieldEnds: fieldEnds)))
    }

    /// Forgets the record in progress; the next one starts on physical line `nextLine`.
    private mutating func startRecord(nextLine: Int) {
        fieldBytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        recordLength = 0
        mode = .fieldStart
        line = nextLine
        recordLine = nextLine
    }

    /// Reports `error` for the record in progress and skips the rest of its line.
    private mutating func fail(_ error: CSVLineError, _ emit: (Output) -> Void) {
        emit(.failure(error, line: recordLine))
        fieldBytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        mode = .skippingLine
    }
}

extension UInt8 {
    fileprivate static let lf: UInt8 = 0x0A
    fileprivate static let cr: UInt8 = 0x0D
    fileprivate static let quote: UInt8 = 0x22
    fileprivate static let comma: UInt8 = 0x2C
    fileprivate static let space: UInt8 = 0x20
    fileprivate static let tab: UInt8 = 0x09
}
