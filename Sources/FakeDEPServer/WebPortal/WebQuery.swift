import Foundation

/// A page's query string as a browser's GET form writes it (`application/x-www-form-urlencoded`):
/// unlike a URI's query parameters, `+` is a space, and a field left empty is no value at all.
struct WebQuery {
    private var values: [String: String] = [:]

    init(_ query: String?) {
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let value = parts.count > 1 ? decoded(parts[1]) : ""
            guard !value.isEmpty else { continue }
            values[decoded(parts[0])] = value
        }
    }

    /// The value of field `name`, or nil when it is missing or empty.
    subscript(name: String) -> String? { values[name] }
}
