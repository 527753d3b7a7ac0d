import DEPWire
import Testing

struct DEPErrorTests {
    @Test(arguments: [
        (DEPErrorCode.malformedRequestBody, 400), (.userAgentMissing, 400), (.invalidCursor, 400),
        (.exhaustedCursor, 400), (.expiredCursor, 400), (.cursorRequired, 400), (.deviceIDRequired, 400),
        (.configNameRequired, 400), (.unauthorized, 401), (.forbidden, 403), (.accessDenied, 403),
        (.termsNotSigned, 403), (.appleSeedForITTurnedOff, 403), (.notFound, 404), (.tooManyRequests, 429),
    ])
    func eachCodeHasApplesStatusAndIsItsOwnBody(_ code: DEPErrorCode, _ status: Int) {
        let error = DEPError(code)
        #expect(error.status == status)
        #expect(error.body == code.rawValue)
        #expect(DEPError(status: status, body: error.body) == error)
    }

    @Test(arguments: ["INVALID_CURSOR", "\"INVALID_CURSOR\"", "INVALID_CURSOR\r\n", "  \"INVALID_CURSOR\"\n"])
    func readsPlainAndQuotedBodies(_ body: String) {
        let error = DEPError(status: 400, body: body)
        #expect(error.code == .invalidCursor)
        #expect(error.code?.requiresNewFetch == true)
    }

    @Test func readsOAuthProblemReports() {
        let error = DEPError(status: 401, body: "oauth_problem=token_rejected&oauth_problem_advice=replaced")
        #expect(error.code == OAuthProblem.tokenRejected.code)
        #expect(OAuthProblem.tokenRejected.error.body == "oauth_problem=token_rejected")
        #expect(OAuthProblem.tokenRejected.error.status == 401)
        #expect(OAuthProblem.parameterAbsent.error.status == 400)
    }

    @Test func anEmptyBodyHasNoCode() {
        let error = DEPError(status: 405, body: "")
        #expect(error.code == nil)
        #expect(error.body == "")
        #expect(error.description == "HTTP 405")
    }

    @Test func unknownCodesStayReadable() {
        let error = DEPError(status: 400, body: "SOMETHING_NEW")
        #expect(error.code?.rawValue == "SOMETHING_NEW")
        #expect(error.description == "400 SOMETHING_NEW")
    }
}
