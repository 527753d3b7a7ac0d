import Testing

@testable import DEPWire

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The signature base string, signing key, signing and verification (dep-api §2.1, RFC 5849 §3.4).
struct OAuthSignatureTests {
    /// The test vector of dep-api §2.1.
    enum Vector {
        static let url = "https://mdmenrollment.apple.com/session"
        static let consumerSecret = "CS_3fb23281"
        static let accessSecret = "AS_9d141598"
        static let parameters = OAuthParameters(
            consumerKey: "CK_3a419c0b", token: "AT_O8473841", timestamp: "1700000000",
            nonce: "0123456789abcdef0123456789abcdef")
        static let baseString =
            "GET&https%3A%2F%2Fmdmenrollment.apple.com%2Fsession&oauth_consumer_key%3DCK_3a419c0b"
            + "%26oauth_nonce%3D0123456789abcdef0123456789abcdef%26oauth_signature_method%3DHMAC-SHA1"
            + "%26oauth_timestamp%3D1700000000%26oauth_token%3DAT_O8473841%26oauth_version%3D1.0"
        static let key = "CS_3fb23281&AS_9d141598"
        static let signature = "AlHUeHHb10fzxbG2oGrT2YWUNlg="

        static var signed: OAuthParameters {
            var signed = parameters
            signed.signature = signature
            return signed
        }
    }

    @Test func baseStringMatchesTheSpecVector() throws {
        #expect(
            try OAuthSignature.baseString(method: "GET", url: Vector.url, parameters: Vector.parameters)
                == Vector.baseString)
    }

    @Test func signingKeyMatchesTheSpecVector() {
        #expect(
            OAuthSignature.signingKey(consumerSecret: Vector.consumerSecret, accessSecret: Vector.accessSecret)
                == Vector.key)
    }

    @Test func signatureMatchesTheSpecVector() throws {
        let signature = try OAuthSignature.sign(
            method: "GET", url: Vector.url, parameters: Vector.parameters,
            consumerSecret: Vector.consumerSecret, accessSecret: Vector.accessSecret)
        #expect(signature == Vector.signature)
        #expect(PercentEncoding.encode(signature) == "AlHUeHHb10fzxbG2oGrT2YWUNlg%3D")
    }

    @Test func sessionAuthorizationBuildsTheSpecHeader() throws {
        let header = try OAuthSignature.sessionAuthorization(
            baseURL: "https://mdmenrollment.apple.com", consumerKey: "CK_3a419c0b",
            consumerSecret: Vector.consumerSecret,
            accessToken: "AT_O8473841", accessSecret: Vector.accessSecret,
            timestamp: Date(timeIntervalSince1970: 1_700_000_000), nonce: "0123456789abcdef0123456789abcdef",
            realm: "ADM")
        #expect(header == OAuthHeaderTests.exampleHeader)
    }

    @Test func theSpecHeaderVerifies() throws {
        let parameters = try OAuthHeader.parse(OAuthHeaderTests.exampleHeader)
        #expect(verify(parameters))
    }

    @Test(arguments: ["HTTPS://MDMENROLLMENT.APPLE.COM:443/session", "https://mdmenrollment.apple.com/session#x"])
    func verificationNormalisesTheURL(url: String) {
        #expect(verify(Vector.signed, url: url))
    }

    @Test func aSignatureWithAnyOneCharacterChangedFailsToVerify() {
        let characters = Array(Vector.signature)
        for index in characters.indices {
            var forged = characters
            forged[index] = forged[index] == "A" ? "B" : "A"
            var parameters = Vector.signed
            parameters.signature = String(forged)
            #expect(!verify(parameters), "changed character \(index)")
        }
    }

    @Test func aSignatureDifferingOnlyInPaddingBitsFailsToVerify() {
        // `g` → `h` changes only the two unused low bits of the last base64 symbol.
        var parameters = Vector.signed
        parameters.signature = "AlHUeHHb10fzxbG2oGrT2YWUNlh="
        #expect(!verify(parameters))
    }

    @Test func wrongSecretsMethodURLOrParametersFailToVerify() {
        #expect(!verify(Vector.signed, consumerSecret: "CS_3fb23282"))
        #expect(!verify(Vector.signed, accessSecret: "AS_9d141599"))
        #expect(!verify(Vector.signed, method: "POST"))
        #expect(!verify(Vector.signed, url: "https://mdmenrollment.apple.com/account"))
        #expect(!verify(Vector.signed, url: "http://mdmenrollment.apple.com/session"))
        #expect(!verify(Vector.signed, url: "not a url"))
        var parameters = Vector.signed
        parameters.nonce = "0123456789abcdef0123456789abcdee"
        #expect(!verify(parameters))
        parameters = Vector.signed
        parameters.signature = ""
        #expect(!verify(parameters))
    }

    @Test func realmIsNotSigned() {
        var parameters = Vector.signed
        parameters.realm = "Elsewhere"
        #expect(verify(parameters))
    }

    @Test func aLocalFakeURLIsSignedWithItsPort() throws {
        let url = "http://127.0.0.1:8080/session"
        #expect(
            try OAuthSignature.baseString(method: "get", url: url, parameters: Vector.parameters)
                .hasPrefix("GET&http%3A%2F%2F127.0.0.1%3A8080%2Fsession&"))
        let signature = try OAuthSignature.sign(
            method: "GET", url: url, parameters: Vector.parameters,
            consumerSecret: Vector.consumerSecret, accessSecret: Vector.accessSecret)
        #expect(signature == "x0uIuwYizU2elw+JkoFCedzZ538=")
    }

    @Test func queryParametersAreDecodedSortedAndSigned() throws {
        // RFC 5849 §3.4.1.1's example request without its body parameters (expected values
        // computed independently with Python's hmac and urllib.parse.quote).
        let url = "http://EXAMPLE.com:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"
        let parameters = OAuthParameters(
            consumerKey: "9djdj82h48djs9d2", token: "kkk9d7dh3k39sjv7", timestamp: "137131201", nonce: "7d8f3e4a",
            version: nil)
        #expect(
            try OAuthSignature.baseString(method: "post", url: url, parameters: parameters)
                == "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D"
                + "%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1"
                + "%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7")
        let signature = try OAuthSignature.sign(
            method: "POST", url: url, parameters: parameters, consumerSecret: "j49sk3j29djd",
            accessSecret: "dh893hdasih9")
        #expect(signature == "Fw+gZ23RKvz421e3lCjggEYXw6A=")
    }

    @Test func secretsArePercentEncodedInTheKey() throws {
        #expect(
            OAuthSignature.signingKey(consumerSecret: "CS/+= é", accessSecret: "AS&%")
                == "CS%2F%2B%3D%20%C3%A9&AS%26%25")
        let signature = try OAuthSignature.sign(
            method: "GET", url: Vector.url, parameters: Vector.parameters, consumerSecret: "CS/+= é",
            accessSecret: "AS&%")
        #expect(signature == "ImyaNxK60k9WxaPAgaokNhs9JoY=")
    }

    @Test(arguments: [
        ("HTTP://Example.COM:80/session", "http://example.com/session"),
        ("https://host:443/x", "https://host/x"),
        ("http://127.0.0.1:8080/session", "http://127.0.0.1:8080/session"),
        ("https://example.com:80/x", "https://example.com:80/x"),
        ("http://example.com:443/x", "http://example.com:443/x"),
        ("http://example.com:0080/x", "http://example.com/x"),
        ("http://example.com:/x", "http://example.com/x"),
        ("http://example.com", "http://example.com/"),
        ("http://example.com?a=1", "http://example.com/"),
        ("https://Example.com/Path/CASE?x=1#frag", "https://example.com/Path/CASE"),
        ("http://user:pw@Example.com:8080/p", "http://example.com:8080/p"),
        ("http://[::1]:8080/session", "http://[::1]:8080/session"),
        ("https://[::1]:443/session", "https://[::1]/session"),
        ("http://example.com/a%2fb", "http://example.com/a%2fb"),
    ])
    func baseURLIsNormalised(url: String, normalised: String) throws {
        #expect(try OAuthSignature.normalizedURL(url) == normalised)
    }

    @Test(arguments: [
        "example.com/session", "http:///session", "http://host:abc/x", "://host/x", "1http://host/x",
        "http://host:99999999999999999999999/x", "http://host/x?a=%zz",
    ])
    func aURLThatCannotBeSignedIsRejected(url: String) {
        #expect(throws: OAuthError.invalidURL(url)) { try OAuthSignature.normalizedURL(url) }
        #expect(throws: OAuthError.invalidURL(url)) {
            try OAuthSignature.sign(
                method: "GET", url: url, parameters: Vector.parameters, consumerSecret: "", accessSecret: "")
        }
    }

    @Test(arguments: [
        "https://mdmenrollment.apple.com", "https://mdmenrollment.apple.com/", "https://mdmenrollment.apple.com//",
    ])
    func sessionURLAppendsOnePathSegment(base: String) {
        #expect(OAuthSignature.sessionURL(baseURL: base) == "https://mdmenrollment.apple.com/session")
    }

    private func verify(
        _ parameters: OAuthParameters, method: String = "GET", url: String = Vector.url,
        consumerSecret: String = Vector.consumerSecret, accessSecret: String = Vector.accessSecret
    ) -> Bool {
        OAuthSignature.verify(
            method: method, url: url, parameters: parameters, consumerSecret: consumerSecret, accessSecret: accessSecret
        )
    }
}
