/// A request URL split the way the OAuth signature needs it (RFC 5849 §3.4.1.2, §3.4.1.3.1).
///
/// Parsed by hand rather than with `URLComponents`, so the path keeps the client's exact
/// escapes and IPv6 literals, user info and empty ports are handled the same on every platform.
struct OAuthRequestURL: Sendable {
    /// The base string URI: lower-case scheme and host, default port dropped, path kept
    /// (`/` when empty), query and fragment dropped.
    let baseURI: String
    /// The decoded query parameters, which are signed along with the `oauth_*` ones.
    let queryParameters: [(name: String, value: String)]

    /// Splits `url` (`scheme://[userinfo@]host[:port][/path][?query][#fragment]`).
    init(_ url: String) throws(OAuthError) {
        guard let schemeEnd = url.firstRange(of: "://") else { throw .invalidURL(url) }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard let first = scheme.first, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { throw .invalidURL(url) }

        var rest = url[schemeEnd.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var query: Substring = ""
        if let question = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: question)...]
            rest = rest[..<question]
        }
        let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<pathStart]
        let path = rest[pathStart...]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }

        // The port follows the last colon, unless that colon is inside an IPv6 literal `[…]`.
        var host = authority
        var port: Substring = ""
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .invalidURL(url) }

        var base = "\(scheme)://\(host.lowercased())"
        if let number = Int(port) {
            let isDefault = (scheme == "http" && number == 80) || (scheme == "https" && number == 443)
            if !isDefault { base += ":\(number)" }
        } else if !port.isEmpty {
            throw .invalidURL(url)
        }
        base += path.isEmpty ? "/" : String(path)
        baseURI = base

        guard let parameters = FormEncoding.decode(query) else { throw .invalidURL(url) }
        queryParameters = parameters
    }
}
