/// JSON string literals as Apple writes them: UTF-8 kept as is, `/` not escaped.
enum JSONString {
    /// Appends `text` as a quoted, escaped JSON string literal to `output`.
    static func write(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { write(utf8: $0, to: &output) }
    }

    /// Appends the UTF-8 text `utf8` as a quoted, escaped JSON string literal to `output`.
    static func write(utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        guard utf8.contains(where: needsEscape) else {
            output.append(contentsOf: utf8)
            output.append(UInt8(ascii: "\""))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: longestEscape) { escape in
            for byte in utf8 {
                if needsEscape(byte) {
                    let count = write(escapeOf: byte, into: escape.baseAddress!)
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: escape.prefix(count)))
                } else {
                    output.append(byte)
                }
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The most bytes `write(utf8:into:)` writes for `count` bytes of text: each as `\u00XX`, and quotes.
    static func room(for count: Int) -> Int { 2 + longestEscape * count }

    /// Writes the UTF-8 text `utf8` as a quoted, escaped JSON string literal at `output`, which
    /// has room for `room(for: utf8.count)` bytes, and returns how many it wrote: the page
    /// writer's strings, copied in one pass with no capacity check per byte.
    static func write(utf8: UnsafeBufferPointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) -> Int {
        output[0] = UInt8(ascii: "\"")
        var count = 1
        for byte in utf8 {
            if needsEscape(byte) {
                count += write(escapeOf: byte, into: output + count)
            } else {
                output[count] = byte
                count += 1
            }
        }
        output[count] = UInt8(ascii: "\"")
        return count + 1
    }

    /// `text` as a quoted, escaped JSON string literal.
    static func literal(_ text: String) -> String {
        var output: [UInt8] = []
        write(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `byte` is written escaped: a quote, a backslash or a control character.
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// The longest escape, `\u00XX`.
    private static let longestEscape = 6

    /// Writes the escape of `byte` (one that `needsEscape`) at `output`; returns its length.
    private static func write(escapeOf byte: UInt8, into output: UnsafeMutablePointer<UInt8>) -> Int {
        output[0] = UInt8(ascii: "\\")
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): output[1] = byte
        case 0x0A: output[1] = UInt8(ascii: "n")
        case 0x0D: output[1] = UInt8(ascii: "r")
        case 0x09: output[1] = UInt8(ascii: "t")
        case 0x08: output[1] = UInt8(ascii: "b")
        case 0x0C: output[1] = UInt8(ascii: "f")
        default:
            let hex: StaticString = "0123456789abcdef"
            output[1] = UInt8(ascii: "u")
            output[2] = UInt8(ascii: "0")
            output[3] = UInt8(ascii: "0")
            output[4] = hex.utf8Start[Int(byte >> 4)]
            output[5] = hex.utf8Start[Int(byte & 0x0F)]
            return 6
        }
        return 2
    }
}
