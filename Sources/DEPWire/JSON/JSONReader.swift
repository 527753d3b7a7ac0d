/// A forward-only reader of one JSON document (RFC 8259) in memory, for decoders written by hand
/// where `JSONDecoder` is too slow (fetch and sync pages, `FetchDeviceResponse+Reader.swift`).
///
/// It is deliberately strict: anything outside the RFC grammar, invalid UTF-8, a lone UTF-16
/// surrogate, a repeated known key or a skipped value nested deeper than `maximumSkipDepth` is
/// an error, so a document it accepts is one `JSONDecoder` accepts too (which, on this
/// toolchain, also takes trailing commas, a leading BOM and malformed numbers in members it
/// ignores). The bytes must outlive the reader.
struct JSONReader {
    /// How deeply a skipped value may nest: far below `JSONDecoder`'s own limit.
    static let maximumSkipDepth = 64

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    /// A reader at the start of `bytes`.
    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes.bindMemory(to: UInt8.self)
    }

    /// How many bytes have been read, for error messages.
    var offset: Int { index }

    /// Whether the next value is an array, without reading it.
    mutating func nextIsArray() throws -> Bool {
        try peek() == UInt8(ascii: "[")
    }

    /// Reads an object whose members are `keys`, calling `body` to read the value of each known
    /// member (in document order) and skipping unknown members.
    mutating func readObject<Key>(_ keys: JSONKeys<Key>, _ body: (inout JSONReader, Key) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if try consume(UInt8(ascii: "}")) { return }
        var seen: UInt64 = 0
        var hint = 0
        repeat {
            let position = try readName(in: keys, from: hint)
            try expect(UInt8(ascii: ":"))
            if let position {
                guard seen & (1 << position) == 0 else { throw JSONReadError("repeated key", at: index) }
                seen |= 1 << position
                hint = position + 1
                try body(&self, keys.keys[position])
            } else {
                try skipValue()
            }
        } while try readSeparator(closing: UInt8(ascii: "}"))
    }

    /// Reads an array, calling `body` to read each element.
    mutating func readArray(_ body: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if try consume(UInt8(ascii: "]")) { return }
        repeat {
            try body(&self)
        } while try readSeparator(closing: UInt8(ascii: "]"))
    }

    /// Reads an array of strings.
    mutating func readStrings() throws -> [String] {
        var strings: [String] = []
        try readArray { strings.append(try $0.readString()) }
        return strings
    }

    /// Consumes `null` and returns true if it comes next; otherwise reads nothing.
    mutating func readNull() throws -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        return consumeLiteral("null")
    }

    /// Reads `true` or `false`.
    mutating func readBool() throws -> Bool {
        if try peek() == UInt8(ascii: "t"), consumeLiteral("true") { return true }
        if try peek() == UInt8(ascii: "f"), consumeLiteral("false") { return false }
        throw JSONReadError("expected true or false", at: index)
    }

    /// Reads a string, unescaped.
    mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""))
        guard let (range, isASCII) = scanPlainString() else { return try readEscapedString() }
        let utf8 = UnsafeBufferPointer(rebasing: bytes[range])
        if isASCII { return String(decoding: utf8, as: UTF8.self) }
        guard let string = String(validating: utf8, as: UTF8.self) else {
            throw JSONReadError("invalid UTF-8 in a string", at: range.lowerBound)
        }
        return string
    }

    /// Reads a string and hands its UTF-8 bytes (unescaped, valid) to `body`, without making a
    /// `String` when it has no escapes.
    mutating func readString<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        try expect(UInt8(ascii: "\""))
        guard let (range, isASCII) = scanPlainString() else {
            var string = try readEscapedString()
            return try string.withUTF8(body)
        }
        let utf8 = UnsafeBufferPointer(rebasing: bytes[range])
        guard isASCII || String(validating: utf8, as: UTF8.self) != nil else {
            throw JSONReadError("invalid UTF-8 in a string", at: range.lowerBound)
        }
        return try body(utf8)
    }

    /// Skips one value of any shape, checking it is well formed.
    mutating func skipValue(depth: Int = 0) throws {
        switch try peek() {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maximumSkipDepth else { throw JSONReadError("nested too deeply", at: index) }
            let isObject = bytes[index] == UInt8(ascii: "{")
            index += 1
            let closing = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            if try consume(closing) { return }
            repeat {
                if isObject {
                    _ = try readString()
                    try expect(UInt8(ascii: ":"))
                }
                try skipValue(depth: depth + 1)
            } while try readSeparator(closing: closing)
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): guard try readNull() else { throw JSONReadError("expected null", at: index) }
        default: try skipNumber()
        }
    }

    /// Checks that nothing but whitespace follows the value read.
    mutating func finish() throws {
        skipWhitespace()
        guard index == bytes.count else { throw JSONReadError("text after the value", at: index) }
    }

    // MARK: - Tokens

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, not consumed.
    private mutating func peek() throws -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw JSONReadError("unexpected end of input", at: index) }
        return bytes[index]
    }

    private mutating func consume(_ byte: UInt8) throws -> Bool {
        guard try peek() == byte else { return false }
        index += 1
        return true
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard try consume(byte) else {
            throw JSONReadError("expected \(Character(Unicode.Scalar(byte)))", at: index)
        }
    }

    /// After a member or element: true after a comma, false after `closing`.
    private mutating func readSeparator(closing: UInt8) throws -> Bool {
        if try consume(UInt8(ascii: ",")) { return true }
        try expect(closing)
        return false
    }

    private mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count,
            UnsafeBufferPointer(rebasing: bytes[index..<index + count]).elementsEqual(
                UnsafeBufferPointer(start: literal.utf8Start, count: count))
        else { return false }
        index += count
        return true
    }

    /// Skips a number in the RFC's grammar: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    private mutating func skipNumber() throws {
        let start = index
        func byte(_ offset: Int = 0) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        func skipDigits() throws {
            guard byte()?.isASCIIDigit == true else { throw JSONReadError("malformed number", at: start) }
            while byte()?.isASCIIDigit == true { index += 1 }
        }
        if byte() == UInt8(ascii: "-") { index += 1 }
        if byte() == UInt8(ascii: "0") { index += 1 } else { try skipDigits() }
        if byte() == UInt8(ascii: ".") {
            index += 1
            try skipDigits()
        }
        if byte() == UInt8(ascii: "e") || byte() == UInt8(ascii: "E") {
            index += 1
            if byte() == UInt8(ascii: "+") || byte() == UInt8(ascii: "-") { index += 1 }
            try skipDigits()
        }
    }

    // MARK: - Strings and names

    /// Reads a member name and its position in `keys` (nil for an unknown name), looking first
    /// at `hint`, where the name usually is.
    private mutating func readName<Key>(in keys: JSONKeys<Key>, from hint: Int) throws -> Int? {
        try expect(UInt8(ascii: "\""))
        let quote = index - 1
        if let (range, isASCII) = scanPlainString(), isASCII {
            return keys.position(of: UnsafeBufferPointer(rebasing: bytes[range]), from: hint)
        }
        // Escapes or non-ASCII (a known name is neither once unescaped): read it as a string.
        index = quote
        var name = try readString()
        return name.withUTF8 { keys.position(of: $0, from: hint) }
    }

    /// After an opening quote: the contents of a string without escapes or control characters
    /// and whether it is all ASCII, its closing quote consumed; nil (reading nothing) for any
    /// other string.
    private mutating func scanPlainString() -> (Range<Int>, isASCII: Bool)? {
        let start = index
        var end = start
        var allBits: UInt8 = 0
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                index = end + 1
                return (start..<end, allBits < 0x80)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            allBits |= byte
            end += 1
        }
        return nil
    }

    /// Reads the rest of a string after its opening quote, a run of plain bytes or an escape at
    /// a time.
    private mutating func readEscapedString() throws -> String {
        let start = index
        var utf8: [UInt8] = []
        while index < bytes.count {
            let run = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"),
                bytes[index] >= 0x20
            {
                index += 1
            }
            utf8.append(contentsOf: bytes[run..<index])
            guard index < bytes.count else { break }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    throw JSONReadError("invalid UTF-8 in a string", at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                try readEscape(into: &utf8)
            default:
                throw JSONReadError("control character in a string", at: index - 1)
            }
        }
        throw JSONReadError("unterminated string", at: start)
    }

    /// Reads the escape after a backslash and appends what it stands for as UTF-8.
    private mutating func readEscape(into utf8: inout [UInt8]) throws {
        guard index < bytes.count else { throw JSONReadError("unterminated string", at: index) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var code = try readHex4()
            if (0xD800..<0xDC00).contains(code) {
                guard consumeLiteral("\\u") else { throw JSONReadError("unpaired UTF-16 surrogate", at: index) }
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw JSONReadError("unpaired UTF-16 surrogate", at: index - 6)
                }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else {
                throw JSONReadError("unpaired UTF-16 surrogate", at: index - 6)
            }
            UTF8.encode(scalar) { utf8.append($0) }
        default:
            throw JSONReadError("invalid escape", at: index - 2)
        }
    }

    private mutating func readHex4() throws -> UInt32 {
        guard bytes.count - index >= 4 else { throw JSONReadError("short \\u escape", at: index) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONReadError("bad hex digit in a \\u escape", at: index)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}

/// The keys of one object type a hand-written decoder knows, matched against a member name's
/// bytes without making a `String`.
struct JSONKeys<Key: CodingKey>: Sendable {
    let keys: [Key]
    private let names: [[UInt8]]

    /// Keys listed in their usual document order, so that matching mostly succeeds at once.
    init(_ keys: [Key]) {
        precondition(keys.count <= 64, "a key set is tracked in 64 bits")
        self.keys = keys
        self.names = keys.map { Array($0.stringValue.utf8) }
    }

    /// The position of `name` among the keys, trying `hint` first and wrapping around.
    func position(of name: UnsafeBufferPointer<UInt8>, from hint: Int) -> Int? {
        var position = hint < names.count ? hint : 0
        for _ in 0..<names.count {
            let matches = names[position].withUnsafeBufferPointer { known in
                guard known.count == name.count else { return false }
                for offset in 0..<known.count where known[offset] != name[offset] { return false }
                return true
            }
            if matches { return position }
            position = position + 1 == names.count ? 0 : position + 1
        }
        return nil
    }
}

/// Why `JSONReader` stopped: text that is not JSON, or JSON it will not read (see its rules).
struct JSONReadError: Error, CustomStringConvertible {
    let reason: String
    let offset: Int

    init(_ reason: String, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    var description: String { "\(reason) at byte \(offset)" }
}
