import Testing

@testable import FakeDEPServer

/// The admin token and the cookie derived from it.
struct AdminTokenTests {
    @Test func theCookieIsDerivedFromTheTokenWithoutRevealingIt() throws {
        let token = try #require(AdminToken("correct horse"))
        #expect(token.cookieValue.count == 64)
        #expect(!token.cookieValue.contains("correct"))
        #expect(token.cookieValue == AdminToken("correct horse")?.cookieValue)
        #expect(token.cookieValue != AdminToken("correct horsf")?.cookieValue)
    }

    @Test func onlyTheWholeTokenIsAccepted() throws {
        let token = try #require(AdminToken("correct horse"))
        #expect(token.accepts(token: "correct horse"))
        for wrong in ["", "correct", "correct horse ", "Correct horse", token.cookieValue] {
            #expect(!token.accepts(token: wrong), "\(wrong)")
        }
        #expect(token.accepts(cookie: token.cookieValue))
        #expect(!token.accepts(cookie: "correct horse"))
        #expect(!token.accepts(cookie: String(token.cookieValue.dropLast())))
    }

    @Test func anEmptyTokenGuardsNothingAndIsNotMade() {
        #expect(AdminToken("") == nil)
    }

    @Test(
        arguments: [
            ("127.0.0.1", false), ("localhost", false), ("::1", false), ("[::1]", false), ("127.1.2.3", false),
            ("0.0.0.0", true), ("::", true), ("192.168.1.4", true), ("fakedep.example", true),
            ("127.0.0.1.nip.io", true),
        ] as [(String, Bool)])
    func listeningBeyondLoopbackWithoutATokenIsWarnedOf(host: String, warned: Bool) {
        var configuration = FakeDEPConfiguration(host: host)
        #expect((configuration.exposureWarning != nil) == warned, "\(host)")
        configuration.adminToken = AdminToken("t")
        #expect(configuration.exposureWarning == nil)
    }
}
