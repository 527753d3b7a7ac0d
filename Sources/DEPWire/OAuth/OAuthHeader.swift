/// The `Authorization: OAuth …` header value of `GET /session` (dep-api §2.1, RFC 5849 §3.5.1).
///
/// Written as `OAuth realm="ADM", oauth_consumer_key="…", …, oauth_signature="…"`: parameters
/// in the order of Apple's example, values percent-encoded and double-quoted. Read tolerantly
/// where RFC 5849 and RFC 7235 allow it (scheme in any case, any order, optional whitespace,
/// empty list elements) and strictly everywhere else, so the server can answer each mistake
/// with Apple's 400 (dep-api §2.5).
///
/// `realm` is an RFC 2617 quoted-string, not percent-encoded; backslash escapes are honoured
/// in every quoted value and written only in `realm` (percent-encoded values never need them).
public enum OAuthHeader {
    /// The parameter names an `OAuth` header may carry.
    static let supportedNames: Set<String> = [
        "realm", "oauth_consumer_key", "oauth_token", "oauth_signature_method",
        "oauth_timestamp", "oauth_nonce", "oauth_version", "oauth_signature",
    ]

    /// The required parameters, in the order a missing one is reported.
    static let requiredNames = [
        "oauth_consumer_key", "oauth_token", "oauth_signature_method",
        "oauth_timestamp", "oauth_nonce", "oauth_signature",
    ]

    /// The header value for `parameters`, e.g. `OAuth oauth_consumer_key="CK_…", …`.
    public static func format(_ parameters: OAuthParameters) -> String {
        var items: [String] = []
        if let realm = parameters.realm {
            items.append("realm=\"\(escapeQuoted(realm))\"")
        }
        for (name, value) in parameters.signedPairs + [("oauth_signature", parameters.signature)] {
            items.append("\(name)=\"\(PercentEncoding.encode(value))\"")
        }
        return "OAuth " + items.joined(separator: ", ")
    }

    /// Reads an `Authorization` header value.
    ///
    /// Errors, in the order they are looked for: a malformed, unsupported or duplicated
    /// parameter where it occurs; then the first missing required parameter; then a signature
    /// method other than `HMAC-SHA1`; then an `oauth_version` other than `1.0`.
    public static func parse(_ header: some StringProtocol) throws(OAuthError) -> OAuthParameters {
        var scanner = HeaderScanner(Array(header.utf8))
        scanner.skipWhitespace()
        let scheme = scanner.token()
        guard scheme.lowercased() == "oauth" else {
            throw .malformedHeader("the scheme must be OAuth")
        }
        guard scanner.isAtEnd || scanner.skipWhitespace() else {
            throw .malformedHeader("the scheme must be followed by a space")
        }
        var values: [String: String] = [:]
        while true {
            scanner.skipWhitespaceAndCommas()
            if scanner.isAtEnd { break }
            let rawName = scanner.token()
            guard !rawName.isEmpty else { throw .malformedHeader("a parameter name is missing") }
            guard var name = PercentEncoding.decode(rawName) else {
                throw .malformedHeader("a parameter name has a bad percent escape")
            }
            // auth-param names are case-insensitive (RFC 7235 §2.1); `oauth_*` names are not.
            if name.lowercased() == "realm" { name = "realm" }
            scanner.skipWhitespace()
            guard scanner.skip(UInt8(ascii: "=")) else { throw .malformedHeader("\(name) has no value") }
            scanner.skipWhitespace()
            guard let rawValue = scanner.quotedString() else {
                throw .malformedHeader("the value of \(name) is not a double-quoted string")
            }
            scanner.skipWhitespace()
            guard scanner.isAtEnd || scanner.peek == UInt8(ascii: ",") else {
                throw .malformedHeader("parameters must be separated by commas")
            }
            guard supportedNames.contains(name) else { throw .unsupportedParameter(name) }
            guard values[name] == nil else { throw .duplicatedParameter(name) }
            if name == "realm" {
                values[name] = rawValue
            } else if let value = PercentEncoding.decode(rawValue) {
                values[name] = value
            } else {
                throw .malformedHeader("the value of \(name) has a bad percent escape")
            }
        }
        if let missing = requiredNames.first(where: { values[$0] == nil }) {
            throw .missingParameter(missing)
        }
        let parameters = OAuthParameters(
            consumerKey: values["oauth_consumer_key"]!, token: values["oauth_token"]!,
            signatureMethod: values["oauth_signature_method"]!, timestamp: values["oauth_timestamp"]!,
            nonce: values["oauth_nonce"]!, version: values["oauth_version"],
            signature: values["oauth_signature"]!, realm: values["realm"])
        guard parameters.signatureMethod == OAuthParameters.hmacSHA1 else {
            throw .unsupportedSignatureMethod(parameters.signatureMethod)
        }
        if let version = parameters.version, version != "1.0" {
            throw .unsupportedVersion(version)
        }
        return parameters
    }

    /// `text` with `"` and `\` backslash-escaped, for a quoted-string.
    private static func escapeQuoted(_ text: String) -> String {
        // By scalar, not by character: a quote or backslash with a combining mark after it is
        // one character, and the reader unescapes bytes.
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { output.append("\\") }
            output.append(scalar)
        }
        return String(output)
    }
}

/// A cursor over the bytes of an `Authorization` header value.
private struct HeaderScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }
    var peek: UInt8? { isAtEnd ? nil : bytes[index] }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    /// Skips spaces and tabs; whether there were any.
    @discardableResult
    mutating func skipWhitespace() -> Bool {
        let start = index
        while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
        return index > start
    }

    /// Skips whitespace and empty list elements (RFC 7230 §7).
    mutating func skipWhitespaceAndCommas() {
        while skipWhitespace() || skip(UInt8(ascii: ",")) {}
    }

    /// The run of bytes up to whitespace, `=`, `,` or `"`.
    mutating func token() -> String {
        let start = index
        while let byte = peek, !" \t=,\"".utf8.contains(byte) { index += 1 }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// The content of a `"…"` string with backslash escapes removed; `nil` if unterminated.
    mutating func quotedString() -> String? {
        guard skip(UInt8(ascii: "\"")) else { return nil }
        var content: [UInt8] = []
        while let byte = peek {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: content, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = peek else { return nil }
                content.append(escaped)
                index += 1
            default:
                content.append(byte)
            }
        }
        return nil
    }
}
