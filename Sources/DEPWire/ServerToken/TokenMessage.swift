#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The plaintext inside the token's CMS envelope: a small MIME entity whose body is the tokens'
/// JSON between `-----BEGIN MESSAGE-----` armour lines (dep-api §1.2).
public enum TokenMessage {
    /// The MIME header block: two CRLF-terminated headers and a CRLF blank line (dep-api §1.2).
    static let header = "Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
    static let beginArmour = "-----BEGIN MESSAGE-----"
    static let endArmour = "-----END MESSAGE-----"

    /// The message for `tokens`, byte for byte as Apple writes it: headers ending in CRLF, the
    /// armour and JSON lines ending in LF (dep-api §1.2). Apple-shaped tokens give 498 bytes.
    public static func build(_ tokens: OAuthTokens) -> String {
        header + beginArmour + "\n" + tokens.compactJSON + "\n" + endArmour + "\n"
    }

    /// Reads the tokens from a decrypted message (dep-api §1.4 step 4).
    ///
    /// Skips the header block up to the first blank line (when the text does not start with
    /// the armour), takes the lines between the armour lines and decodes them as JSON. CRLF and
    /// LF are accepted anywhere.
    public static func parse(_ message: some Collection<UInt8>) throws(ServerTokenError) -> OAuthTokens {
        var lines = MIMELines.split(message)[...]
        if lines.first != beginArmour, let blank = lines.firstIndex(where: \.isEmpty) {
            lines = lines[(blank + 1)...]
        }
        guard let begin = lines.firstIndex(of: beginArmour),
            let end = lines[(begin + 1)...].firstIndex(of: endArmour)
        else { throw .missingArmour }
        let json = lines[(begin + 1)..<end].joined(separator: "\n")
        return try decodeTokens(json: Data(json.utf8))
    }

    /// Reads the tokens from a decrypted message held as text.
    public static func parse(_ message: String) throws(ServerTokenError) -> OAuthTokens {
        try parse(Array(message.utf8))
    }

    /// Decodes the five fields, reporting exactly which one is absent or wrong.
    static func decodeTokens(json: Data) throws(ServerTokenError) -> OAuthTokens {
        let wire: WireTokens
        do {
            wire = try JSONDecoder().decode(WireTokens.self, from: json)
        } catch let DecodingError.typeMismatch(_, context) {
            let key = context.codingPath.first?.stringValue
            throw .invalidJSON(key.map { "\($0) is not a string" } ?? "the JSON is not an object")
        } catch {
            throw .invalidJSON("the text between the armour lines is not JSON")
        }
        func require(_ value: String?, _ key: OAuthTokens.CodingKeys) throws(ServerTokenError) -> String {
            guard let value, !value.isEmpty else { throw .missingField(key.rawValue) }
            return value
        }
        let consumerKey = try require(wire.consumerKey, .consumerKey)
        let consumerSecret = try require(wire.consumerSecret, .consumerSecret)
        let accessToken = try require(wire.accessToken, .accessToken)
        let accessSecret = try require(wire.accessSecret, .accessSecret)
        let expiryText = try require(wire.accessTokenExpiry, .accessTokenExpiry)
        guard let expiry = OAuthTokens.expiry(expiryText) else { throw .invalidExpiry(expiryText) }
        return OAuthTokens(
            consumerKey: consumerKey, consumerSecret: consumerSecret, accessToken: accessToken,
            accessSecret: accessSecret, accessTokenExpiry: expiry)
    }
}

/// The JSON object as sent, every key optional so a missing one can be named.
private struct WireTokens: Decodable {
    typealias CodingKeys = OAuthTokens.CodingKeys

    var consumerKey: String?
    var consumerSecret: String?
    var accessToken: String?
    var accessSecret: String?
    var accessTokenExpiry: String?
}
