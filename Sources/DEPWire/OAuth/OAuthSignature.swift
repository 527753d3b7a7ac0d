#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// HMAC-SHA1 signing and verification of an OAuth 1.0a request (dep-api §2.1, RFC 5849 §3.4).
///
/// The agent signs and the fake verifies with this same code, so both agree on every byte of
/// the base string.
public enum OAuthSignature {
    /// The base string URI of `url` (RFC 5849 §3.4.1.2): lower-case scheme and host, no default
    /// port, path kept, query and fragment dropped. `HTTP://Example.COM:80/session` gives
    /// `http://example.com/session`.
    public static func normalizedURL(_ url: String) throws(OAuthError) -> String {
        try OAuthRequestURL(url).baseURI
    }

    /// The signature base string (RFC 5849 §3.4.1.1): `METHOD&pct(base URI)&pct(parameters)`,
    /// where the parameters are the signed `oauth_*` values and the URL's query parameters,
    /// each name and value percent-encoded, sorted by name then value, joined as `n=v&n=v`.
    public static func baseString(method: String, url: String, parameters: OAuthParameters) throws(OAuthError) -> String
    {
        let requestURL = try OAuthRequestURL(url)
        let pairs = (parameters.signedPairs + requestURL.queryParameters)
            .map { (name: PercentEncoding.encode($0.name), value: PercentEncoding.encode($0.value)) }
            .sorted { lhs, rhs in
                // Byte order of the encoded text, as RFC 5849 §3.4.1.3.2 asks (all ASCII by now).
                lhs.name == rhs.name
                    ? lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
                    : lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
            }
        let normalized = pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        // The method is written as is (upper-cased); the other two parts are encoded (§3.4.1.1).
        return
            "\(method.uppercased())&\(PercentEncoding.encode(requestURL.baseURI))&\(PercentEncoding.encode(normalized))"
    }

    /// The HMAC-SHA1 key: `pct(consumer_secret)&pct(access_secret)` (RFC 5849 §3.4.2).
    public static func signingKey(consumerSecret: String, accessSecret: String) -> String {
        "\(PercentEncoding.encode(consumerSecret))&\(PercentEncoding.encode(accessSecret))"
    }

    /// The base64 HMAC-SHA1 signature of the request; `parameters.signature` is ignored.
    public static func sign(
        method: String, url: String, parameters: OAuthParameters, consumerSecret: String, accessSecret: String
    ) throws(OAuthError) -> String {
        let base = try baseString(method: method, url: url, parameters: parameters)
        let key = signingKey(consumerSecret: consumerSecret, accessSecret: accessSecret)
        return Data(HMACSHA1.authenticationCode(for: base, key: key)).base64EncodedString()
    }

    /// Whether `parameters.signature` is the right signature for the request, compared in
    /// constant time. The base64 text is compared, not its decoding, so a changed padding bit
    /// is a bad signature too. A URL that cannot be signed never verifies.
    public static func verify(
        method: String, url: String, parameters: OAuthParameters, consumerSecret: String, accessSecret: String
    ) -> Bool {
        guard
            let expected = try? sign(
                method: method, url: url, parameters: parameters,
                consumerSecret: consumerSecret, accessSecret: accessSecret)
        else { return false }
        return ConstantTime.isEqual(Array(expected.utf8), Array(parameters.signature.utf8))
    }

    /// A complete signed `Authorization` header value for `GET <baseURL>/session` (dep-api §2.1).
    ///
    /// The caller supplies the time and a fresh nonce: `DEPWire` has no clock or randomness.
    public static func sessionAuthorization(
        baseURL: String, consumerKey: String, consumerSecret: String, accessToken: String, accessSecret: String,
        timestamp: Date, nonce: String, realm: String? = nil
    ) throws(OAuthError) -> String {
        let url = sessionURL(baseURL: baseURL)
        var parameters = OAuthParameters(
            consumerKey: consumerKey, token: accessToken, timestamp: timestamp, nonce: nonce, realm: realm)
        parameters.signature = try sign(
            method: "GET", url: url, parameters: parameters, consumerSecret: consumerSecret, accessSecret: accessSecret)
        return OAuthHeader.format(parameters)
    }

    /// `<baseURL>/session`, without doubling a trailing slash.
    public static func sessionURL(baseURL: String) -> String {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + "/session"
    }
}
