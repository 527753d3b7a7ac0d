/// Line handling shared by the two MIME layers of a server token (dep-api §1.2).
///
/// Splitting happens on bytes, not `Character`s: Swift treats `"\r\n"` as one character, so a
/// `String.split(separator: "\n")` would never split a CRLF file.
enum MIMELines {
    /// The lines of `text`, each ended by LF with one CR before it removed, so CRLF, LF and a mix
    /// of both read the same. A final line without LF counts; the nothing after a final LF does
    /// not, so a trailing line end is never mistaken for a blank line. Bytes that are not UTF-8
    /// become U+FFFD.
    static func split(_ text: some Collection<UInt8>) -> [String] {
        var lines = text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            let content = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
            return String(decoding: content, as: UTF8.self)
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (MIME header whitespace).
    func trimmingMIMEWhitespace() -> SubSequence {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let start = firstIndex { !isBlank($0) } ?? endIndex
        let end = lastIndex { !isBlank($0) }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
