/// Strict decoding of an S/MIME base64 body (RFC 4648 §4), with a reason for each rejection.
///
/// `Data(base64Encoded:)` only answers `nil`; a user with a truncated token file deserves to
/// hear what is wrong. Whitespace (the 76-column line breaks) is skipped; anything else outside
/// the alphabet, a length that is not a multiple of four, or misplaced `=` is an error.
enum Base64Body {
    /// The bytes `text` encodes.
    static func decode(_ text: some StringProtocol) throws(ServerTokenError) -> [UInt8] {
        var symbols: [UInt8] = []
        symbols.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                continue
            case UInt8(ascii: "="):
                symbols.append(byte)
            default:
                guard value(of: byte) != nil else {
                    throw .invalidBase64("it contains a character outside the base64 alphabet")
                }
                symbols.append(byte)
            }
        }
        guard !symbols.isEmpty else { throw .invalidBase64("the body is empty") }
        guard symbols.count % 4 == 0 else {
            throw .invalidBase64("its length, \(symbols.count) characters, is not a multiple of 4")
        }
        let padding = symbols.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2, !symbols.dropLast(padding).contains(UInt8(ascii: "=")) else {
            throw .invalidBase64("'=' padding appears before the end")
        }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(symbols.count / 4 * 3)
        var index = 0
        while index < symbols.count {
            // Padding counts as zero bits; only the bytes it does not cover are kept.
            let group = symbols[index..<index + 4].map { value(of: $0) ?? 0 }
            let combined = UInt32(group[0]) << 18 | UInt32(group[1]) << 12 | UInt32(group[2]) << 6 | UInt32(group[3])
            let count = index + 4 == symbols.count ? 3 - padding : 3
            for shift in [16, 8, 0].prefix(count) {
                bytes.append(UInt8(truncatingIfNeeded: combined >> UInt32(shift)))
            }
            index += 4
        }
        return bytes
    }

    /// The 6-bit value of a base64 symbol, `nil` outside the alphabet.
    private static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
