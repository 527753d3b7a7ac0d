/// `application/x-www-form-urlencoded` as an OAuth 2 token request uses it (RFC 6749
/// Appendix B), in a body or a query string.
public enum FormEncoding {
    /// `pairs` as `name=value&…`, each side percent-encoded (RFC 3986 unreserved kept).
    public static func encode(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }.joined(separator: "&")
    }

    /// The pairs of `text` in order; `+` is a space. `nil` when an escape is malformed or a
    /// name or value is not UTF-8. A pair without `=` has an empty value.
    public static func decode(_ text: some StringProtocol) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentEncoding.decodeForm(parts[0]),
                let value = PercentEncoding.decodeForm(parts.count > 1 ? parts[1] : "")
            else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }
}
