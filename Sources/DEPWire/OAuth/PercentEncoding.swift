/// RFC 3986 percent-encoding as OAuth 1.0a uses it (RFC 5849 §3.6, dep-api §2.1).
///
/// Only the unreserved characters `A-Z a-z 0-9 - . _ ~` stay as they are; every other UTF-8
/// byte becomes `%XX` with upper-case hex. Written by hand over UTF-8 bytes because
/// FoundationEssentials has no `addingPercentEncoding`, and `CharacterSet.alphanumerics` would
/// keep non-ASCII letters anyway.
public enum PercentEncoding {
    /// `text` with every byte outside the unreserved set written as `%XX`.
    public static func encode(_ text: some StringProtocol) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `text` with each `%XX` escape replaced by its byte; `nil` when an escape is malformed
    /// (`%` not followed by two hex digits) or the bytes are not UTF-8.
    ///
    /// `+` stays a plus sign: RFC 5849 values are RFC 3986 encoded, not form encoded.
    public static func decode(_ text: some StringProtocol) -> String? {
        guard let bytes = decodeBytes(text.utf8) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// `application/x-www-form-urlencoded` decoding (`+` is a space), used for the query
    /// parameters that take part in the signature base string (RFC 5849 §3.4.1.3.1).
    static func decodeForm(utf8 text: some Collection<UInt8>) -> String? {
        let bytes = text.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }
        guard let decoded = decodeBytes(bytes) else { return nil }
        return String(validating: decoded, as: UTF8.self)
    }

    /// Decodes `%XX` escapes in `input`; `nil` on a malformed escape.
    private static func decodeBytes(_ input: some Collection<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var iterator = input.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                output.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            output.append(high << 4 | low)
        }
        return output
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
