/// `application/x-www-form-urlencoded` as an OAuth 2 token request uses it (RFC 6749
/// Appendix B), in a body or a query string.
public enum FormEncoding {
    /// `pairs` as `name=value&…`, each side percent-encoded (RFC 3986 unreserved kept).
    public static func encode(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }.joined(separator: "&")
    }

    /// The pairs of `text` in order; `+` is a space. `nil` when an escape is malformed or a
    /// name or value is not UTF-8. A pair without `=` has an empty value.
    ///
    /// Split at the bytes `&` and `=`, as the encoding is defined: split by `Character`, an `&`
    /// followed by a combining mark would be one character and separate nothing.
    public static func decode(_ text: some StringProtocol) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for pair in text.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            let value = equals == pair.endIndex ? pair[equals...] : pair[pair.index(after: equals)...]
            guard let name = PercentEncoding.decodeForm(utf8: pair[..<equals]),
                let value = PercentEncoding.decodeForm(utf8: value)
            else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }
}
