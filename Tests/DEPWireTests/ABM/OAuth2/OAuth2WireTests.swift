import DEPWire
import Foundation
import Testing

@Suite("ABM OAuth 2 wire")
struct OAuth2WireTests {
    @Test("base64url uses - and _, drops padding, and refuses padding or foreign characters")
    func base64URL() {
        let bytes = Data([0xFB, 0xFF, 0xBF, 0x00])
        #expect(Base64URL.encode(bytes) == "-_-_AA")
        #expect(Base64URL.decode("-_-_AA") == bytes)
        #expect(Base64URL.decode("-_-_AA==") == nil)
        #expect(Base64URL.decode("+/+/AA") == nil)
        #expect(Base64URL.decode("A") == nil)
        #expect(Base64URL.decode("") == Data())
        // RFC 7515 Appendix A.1's header.
        #expect(
            String(decoding: Base64URL.decode("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9")!, as: UTF8.self)
                == "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}")
    }

    @Test("A token request round-trips through form text with Apple's parameter order")
    func tokenRequestForm() throws {
        let request = TokenRequest(clientID: "BUSINESSAPI.0b7c", clientAssertion: "a.b.c", scope: "business.api")
        #expect(
            request.form
                == "grant_type=client_credentials&client_id=BUSINESSAPI.0b7c&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=a.b.c&scope=business.api"
        )
        #expect(try TokenRequest(form: request.form) == request)
        #expect(try TokenRequest(form: request.form + "&extra=1+2").scope == "business.api")
    }

    @Test("A form splits at the bytes & and =, even where a combining mark follows one")
    func formSplitsAtBytes() throws {
        let pairs = try #require(FormEncoding.decode("a=1&\u{301}b=2&c=\u{301}d&e&f=x+y%2B"))
        #expect(pairs.map(\.name) == ["a", "\u{301}b", "c", "e", "f"])
        #expect(pairs.map(\.value) == ["1", "2", "\u{301}d", "", "x y+"])
        #expect(FormEncoding.decode("a=%zz") == nil)
    }

    @Test("A token request missing, emptying or repeating a parameter is invalid_request naming it")
    func tokenRequestRefusals() {
        let missing = #expect(throws: OAuth2Error.self) {
            try TokenRequest(form: "grant_type=client_credentials&client_id=x&client_assertion_type=t&scope=s")
        }
        #expect(missing == OAuth2Error(.invalidRequest, "The parameter client_assertion is missing."))
        let repeated = #expect(throws: OAuth2Error.self) {
            try TokenRequest(
                form: "grant_type=a&grant_type=b&client_id=x&client_assertion_type=t&client_assertion=c&scope=s")
        }
        #expect(repeated?.errorDescription == "The parameter grant_type is sent more than once.")
        let empty = #expect(throws: OAuth2Error.self) {
            try TokenRequest(form: "grant_type=&client_id=x&client_assertion_type=t&client_assertion=c&scope=s")
        }
        #expect(empty?.errorDescription == "The parameter grant_type is missing.")
        #expect(throws: OAuth2Error.self) { try TokenRequest(form: "grant_type=%zz") }
    }

    @Test("A client assertion's parts encode in Apple's order and parse back with the exact signing input")
    func jwtRoundTrip() throws {
        let claims = ClientAssertionClaims(
            clientID: "BUSINESSAPI.0b7c", issuedAt: 1_767_225_600, expiresAt: 1_782_777_600, id: "9e3b")
        let input = try JWT.signingInput(header: .init(kid: "5b2d"), claims: claims)
        let header = String(decoding: Base64URL.decode(input.split(separator: ".")[0])!, as: UTF8.self)
        let payload = String(decoding: Base64URL.decode(input.split(separator: ".")[1])!, as: UTF8.self)
        #expect(header == #"{"alg":"ES256","kid":"5b2d"}"#)
        #expect(
            payload
                == #"{"sub":"BUSINESSAPI.0b7c","iss":"BUSINESSAPI.0b7c","aud":"https://account.apple.com/auth/oauth2/v2/token","iat":1767225600,"exp":1782777600,"jti":"9e3b"}"#
        )
        let signature = Data((0..<64).map { UInt8($0) })
        let jwt = try JWT(compact: JWT.compact(signingInput: input, signature: signature))
        #expect(jwt.header == JWT.Header(alg: "ES256", kid: "5b2d"))
        #expect(jwt.signature == signature)
        #expect(jwt.signingInput == Data(input.utf8))
        #expect(try jwt.claims(ClientAssertionClaims.self) == claims)
    }

    @Test("Claims read an audience list and a missing iss")
    func claimsVariants() throws {
        let claims = try DEPJSON.decode(
            ClientAssertionClaims.self, from: #"{"sub":"S","aud":["x","y"],"iat":1,"exp":2,"jti":"j"}"#)
        #expect(claims.aud == ["x", "y"] && claims.iss == nil)
        #expect(try DEPJSON.encodeString(claims) == #"{"sub":"S","aud":["x","y"],"iat":1,"exp":2,"jti":"j"}"#)
    }

    @Test("Malformed tokens are refused saying what is wrong")
    func malformedJWT() {
        let cases: [(String, String)] = [
            ("a.b", "it has 2 dot-separated parts, not 3"),
            ("a+.b.c", "its header is not base64url"),
            ("\(Base64URL.encode(Data("[]".utf8))).e30.", "its header is not a JSON object with a string \"alg\""),
            ("e30.b=.c", "its payload is not base64url"),
        ]
        for (text, reason) in cases {
            let error = #expect(throws: JWTError.self) { try JWT(compact: text) }
            #expect(error?.reason == reason, "\(text)")
        }
        let noClaims = #expect(throws: JWTError.self) {
            try JWT(compact: "\(Base64URL.encode(Data(#"{"alg":"ES256"}"#.utf8))).e30.").claims(
                ClientAssertionClaims.self)
        }
        #expect(noClaims?.description.hasPrefix("The JWT is malformed: its payload is not the claims expected") == true)
    }

    @Test("The token response and RFC 6749 errors have their wire names; invalid_client is 401, the rest 400")
    func responses() throws {
        #expect(
            try DEPJSON.encodeString(TokenResponse(accessToken: "t", expiresIn: 3600, scope: "school.api"))
                == #"{"access_token":"t","token_type":"Bearer","expires_in":3600,"scope":"school.api"}"#)
        let error = OAuth2Error(.invalidScope, "no")
        #expect(try DEPJSON.encodeString(error) == #"{"error":"invalid_scope","error_description":"no"}"#)
        #expect(
            try DEPJSON.decode(OAuth2Error.self, from: #"{"error":"invalid_client","error_uri":"u"}"#).status == 401)
        #expect(error.status == 400)
    }

    @Test("Services are told apart by client id prefix, scope and host")
    func services() {
        #expect(ABMService(clientID: "SCHOOLAPI.1") == .school)
        #expect(ABMService(clientID: "BUSINESSAPI.1") == .business)
        #expect(ABMService(clientID: "business.api") == nil)
        #expect(ABMService(scope: "business.api") == .business && ABMService(scope: "school") == nil)
        #expect(ABMService.school.hostName == "api-school.apple.com")
        #expect(ABMService.business.clientID(uuid: "U") == "BUSINESSAPI.U")
    }

    @Test("An ErrorResponse encodes exactly the schema's fields, status as a string, one source kind")
    func errorResponse() throws {
        let response = ErrorResponse(
            .init(
                id: "1", status: 401, code: "NOT_AUTHORIZED", title: "t", detail: "d", source: .parameter("cursor")))
        let json = try DEPJSON.encodeString(response)
        #expect(
            json
                == #"{"errors":[{"id":"1","status":"401","code":"NOT_AUTHORIZED","title":"t","detail":"d","source":{"parameter":"cursor"}}]}"#
        )
        #expect(try DEPJSON.decode(ErrorResponse.self, from: json) == response)
        let pointer = ErrorResponse.Source.pointer("/data")
        #expect(try DEPJSON.encodeString(pointer) == #"{"pointer":"/data"}"#)
    }
}
