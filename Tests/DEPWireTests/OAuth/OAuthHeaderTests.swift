import Testing

@testable import DEPWire

/// Reading and writing the `Authorization: OAuth …` header (dep-api §2.1, §2.5).
struct OAuthHeaderTests {
    /// The header of dep-api §2.1, byte for byte.
    static let exampleHeader =
        #"OAuth realm="ADM", oauth_consumer_key="CK_3a419c0b", oauth_token="AT_O8473841", "#
        + #"oauth_signature_method="HMAC-SHA1", oauth_timestamp="1700000000", "#
        + #"oauth_nonce="0123456789abcdef0123456789abcdef", oauth_version="1.0", "#
        + #"oauth_signature="AlHUeHHb10fzxbG2oGrT2YWUNlg%3D""#

    static let exampleParameters = OAuthParameters(
        consumerKey: "CK_3a419c0b", token: "AT_O8473841", timestamp: "1700000000",
        nonce: "0123456789abcdef0123456789abcdef", signature: "AlHUeHHb10fzxbG2oGrT2YWUNlg=", realm: "ADM")

    /// A valid header made of `items` (`name="value"` pieces), joined with `", "`.
    static func header(_ items: [String]) -> String { "OAuth " + items.joined(separator: ", ") }

    static let validItems = [
        #"oauth_consumer_key="CK_3a419c0b""#, #"oauth_token="AT_O8473841""#,
        #"oauth_signature_method="HMAC-SHA1""#, #"oauth_timestamp="1700000000""#,
        #"oauth_nonce="0123456789abcdef0123456789abcdef""#, #"oauth_version="1.0""#,
        #"oauth_signature="AlHUeHHb10fzxbG2oGrT2YWUNlg%3D""#,
    ]

    @Test func parsesTheExampleHeaderOfTheSpec() throws {
        let parameters = try OAuthHeader.parse(Self.exampleHeader)
        #expect(parameters == Self.exampleParameters)
        #expect(parameters.signature == "AlHUeHHb10fzxbG2oGrT2YWUNlg=")
        #expect(parameters.version == "1.0")
    }

    @Test func formatsTheExampleHeaderOfTheSpecByteForByte() {
        #expect(OAuthHeader.format(Self.exampleParameters) == Self.exampleHeader)
    }

    @Test func formatsWithoutRealmWhenThereIsNone() {
        var parameters = Self.exampleParameters
        parameters.realm = nil
        #expect(OAuthHeader.format(parameters) == Self.header(Self.validItems))
    }

    @Test func formattingThenParsingKeepsAwkwardValues() throws {
        let parameters = OAuthParameters(
            consumerKey: "CK_a b", token: "AT_\"quoted\"", timestamp: "1", nonce: "n/+=&%é,",
            signature: "a+b/c==", realm: #"Ex"am\ple"#)
        let header = OAuthHeader.format(parameters)
        #expect(header.contains(#"oauth_nonce="n%2F%2B%3D%26%25%C3%A9%2C""#))
        #expect(header.hasPrefix(#"OAuth realm="Ex\"am\\ple", "#))
        #expect(try OAuthHeader.parse(header) == parameters)
    }

    /// Found by `FuzzOAuthHeader`: escaped character by character, a backslash or quote joined
    /// by a combining mark after it went unescaped, and the realm read back cut short.
    @Test(arguments: ["a\\\u{301}b", "a\"\u{301}b"])
    func aRealmWithAMarkAfterABackslashOrQuoteSurvivesFormatting(realm: String) throws {
        let parameters = OAuthParameters(
            consumerKey: "CK_1", token: "AT_1", timestamp: "1", nonce: "n", signature: "s", realm: realm)
        #expect(try OAuthHeader.parse(OAuthHeader.format(parameters)) == parameters)
    }

    @Test(arguments: ["OAuth", "oauth", "OAUTH", "oAuTh"])
    func schemeIsCaseInsensitive(scheme: String) throws {
        let header = scheme + " " + Self.validItems.joined(separator: ", ")
        #expect(try OAuthHeader.parse(header).consumerKey == "CK_3a419c0b")
    }

    @Test func parameterOrderDoesNotMatter() throws {
        let shuffled = Self.header(Self.validItems.reversed())
        #expect(try OAuthHeader.parse(shuffled) == OAuthHeader.parse(Self.header(Self.validItems)))
    }

    @Test(arguments: [",", ", ", " , ", ",\t", " ,, "])
    func whitespaceAroundCommasIsOptional(separator: String) throws {
        let header = "  OAuth   " + Self.validItems.joined(separator: separator) + " "
        #expect(try OAuthHeader.parse(header).nonce == "0123456789abcdef0123456789abcdef")
    }

    @Test func whitespaceAroundTheEqualsSignIsAccepted() throws {
        let header = Self.header(Self.validItems.map { $0.replacing("=\"", with: " = \"") })
        #expect(try OAuthHeader.parse(header).token == "AT_O8473841")
    }

    @Test func realmAndVersionAreOptional() throws {
        let parameters = try OAuthHeader.parse(Self.header(Self.validItems.filter { !$0.hasPrefix("oauth_version") }))
        #expect(parameters.realm == nil)
        #expect(parameters.version == nil)
    }

    @Test func realmNameIsCaseInsensitive() throws {
        let header = Self.header([#"Realm="ADM""#] + Self.validItems)
        #expect(try OAuthHeader.parse(header).realm == "ADM")
    }

    @Test func aDuplicatedParameterIsRejected() {
        let header = Self.header(Self.validItems + [#"oauth_nonce="other""#])
        #expect(throws: OAuthError.duplicatedParameter("oauth_nonce")) { try OAuthHeader.parse(header) }
    }

    @Test func aDuplicatedRealmIsRejected() {
        let header = Self.header([#"realm="ADM""#] + Self.validItems + [#"realm="ADM""#])
        #expect(throws: OAuthError.duplicatedParameter("realm")) { try OAuthHeader.parse(header) }
    }

    @Test(arguments: OAuthHeader.requiredNames)
    func aMissingRequiredParameterIsNamed(name: String) {
        let header = Self.header(Self.validItems.filter { !$0.hasPrefix(name + "=") })
        #expect(throws: OAuthError.missingParameter(name)) { try OAuthHeader.parse(header) }
    }

    @Test func aBareSchemeLacksTheConsumerKey() {
        #expect(throws: OAuthError.missingParameter("oauth_consumer_key")) { try OAuthHeader.parse("OAuth") }
    }

    @Test(arguments: ["oauth_callback", "oauth_verifier", "oauth_body_hash", "foo", "OAUTH_TOKEN"])
    func anUnknownParameterIsUnsupported(name: String) {
        let header = Self.header(Self.validItems + ["\(name)=\"x\""])
        #expect(throws: OAuthError.unsupportedParameter(name)) { try OAuthHeader.parse(header) }
    }

    @Test(arguments: ["PLAINTEXT", "RSA-SHA1", "HMAC-SHA256", "hmac-sha1", ""])
    func aSignatureMethodOtherThanHMACSHA1IsUnsupported(method: String) {
        let items = Self.validItems.map {
            $0.hasPrefix("oauth_signature_method") ? "oauth_signature_method=\"\(method)\"" : $0
        }
        #expect(throws: OAuthError.unsupportedSignatureMethod(method)) { try OAuthHeader.parse(Self.header(items)) }
    }

    @Test func aVersionOtherThanOnePointZeroIsUnsupported() {
        let items = Self.validItems.map { $0.hasPrefix("oauth_version") ? #"oauth_version="2.0""# : $0 }
        #expect(throws: OAuthError.unsupportedVersion("2.0")) { try OAuthHeader.parse(Self.header(items)) }
    }

    @Test(arguments: [
        "", "   ", "Basic dXNlcjpwYXNz", "Bearer abc", #"OAuthoauth_nonce="x""#, #"OAuth,oauth_nonce="x""#,
        #"OAuth oauth_nonce=abc"#, #"OAuth oauth_nonce="abc"#, #"OAuth oauth_nonce="a%zz""#,
        #"OAuth oauth_nonce="a" oauth_token="b""#, #"OAuth ="x""#, "OAuth oauth_nonce",
        #"OAuth oauth_nonce=="x""#, #"OAuth oauth%zz="x""#, #"OAuth oauth_nonce="x"x"#,
    ])
    func aMalformedHeaderIsRejected(header: String) {
        #expect {
            try OAuthHeader.parse(header)
        } throws: { error in
            guard case .malformedHeader = error as? OAuthError else { return false }
            return true
        }
    }

    @Test func malformedHeaderMessagesDoNotRepeatTheValue() {
        do {
            _ = try OAuthHeader.parse(#"OAuth oauth_token="secret%zz""#)
            Issue.record("expected an error")
        } catch {
            #expect(!String(describing: error).contains("secret"))
            #expect(String(describing: error).contains("oauth_token"))
        }
    }

    @Test func everyErrorIsABadRequestWithAnOAuthProblemName() {
        let errors: [OAuthError] = [
            .malformedHeader("x"), .duplicatedParameter("oauth_nonce"), .missingParameter("oauth_token"),
            .unsupportedParameter("foo"), .unsupportedSignatureMethod("PLAINTEXT"), .unsupportedVersion("2.0"),
            .invalidURL("x"),
        ]
        for error in errors {
            #expect(error.statusCode == 400)
            #expect(!error.description.isEmpty)
        }
        #expect(OAuthError.missingParameter("oauth_token").problem == .parameterAbsent)
        #expect(OAuthError.duplicatedParameter("oauth_nonce").problem == .parameterRejected)
        #expect(OAuthError.unsupportedSignatureMethod("PLAINTEXT").problem == .signatureMethodRejected)
        #expect(OAuthError.unsupportedVersion("2.0").problem == .versionRejected)
    }

    @Test func everyTruncationAndByteChangeEndsInParametersOrATypedError() {
        let golden = Array(Self.exampleHeader.utf8)
        for index in golden.indices {
            _ = try? OAuthHeader.parse(String(decoding: golden[..<index], as: UTF8.self))
            for replacement in [0x00, 0x20, 0x22, 0x25, 0x2C, 0x3D, 0x5C, 0xFF] as [UInt8] {
                var damaged = golden
                damaged[index] = replacement
                _ = try? OAuthHeader.parse(String(decoding: damaged, as: UTF8.self))
            }
        }
    }
}
