import DEPSync
import DEPTestServer
import FakeDEPTesting
import Foundation
import Testing

@testable import FakeDEPServer

/// The web pages of a server with an admin token: a page viewed without signing in sends the
/// browser to the sign-in page, which sets a cookie (HttpOnly, SameSite=Strict, not the token)
/// and returns it to the page it asked for; signing out ends that.
struct SignInTests {
    static let token = AdminGuardTests.token

    @Test(
        arguments: [
            ("/", "/web/sign-in?next=%2F"), ("/web/servers?page=2", "/web/sign-in?next=%2Fweb%2Fservers%3Fpage%3D2"),
            (
                "/_fakedep/worlds/default/web/devices",
                "/web/sign-in?next=%2F_fakedep%2Fworlds%2Fdefault%2Fweb%2Fdevices"
            ),
        ] as [(String, String)])
    func aPageViewedWithoutSigningInGoesToTheSignInPage(path: String, location: String) async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let response = try await server.send("GET", path)
            #expect(response.status == 303)
            #expect(response.header("Location") == location)
            #expect(!response.text.contains("Acme"))
        }
    }

    @Test func theSignInPageAndTheAssetsItIsDrawnWithAreOpen() async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let page = try await server.send("GET", "/web/sign-in?next=%2Fweb%2Fservers")
            #expect(page.status == 200)
            #expect(page.text.contains(#"<input type="hidden" name="next" value="/web/servers">"#))
            #expect(page.text.contains(#"name="token" type="password""#))
            #expect(try await server.send("GET", "/web/assets/portal.css").status == 200)
        }
    }

    @Test func signingInSetsACookieThatIsNotTheTokenAndOpensThePages() async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let response = try await Self.signIn(server, token: Self.token, next: "/web/servers")
            #expect(response.status == 303, "\(response.text)")
            #expect(response.header("Location") == "/web/servers")
            let setCookie = try #require(response.header("Set-Cookie"))
            let attributes = Set(setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(attributes.isSuperset(of: ["HttpOnly", "SameSite=Strict", "Path=/"]), "\(setCookie)")
            #expect(!attributes.contains("Secure"), "a plain-HTTP server's cookie would never be sent back")
            let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
            #expect(cookie == "fakedep_admin=" + AdminGuardTests.cookie)
            #expect(!setCookie.contains(Self.token))

            let page = try await server.send("GET", "/web/servers", headers: [("Cookie", cookie)])
            #expect(page.status == 200)
            #expect(page.text.contains(#"action="/web/sign-out""#))
            let portal = try await server.send(
                "POST", "/portal/servers", json: #"{"name":"From the page"}"#,
                headers: [("Cookie", cookie), ("Origin", server.baseURL)])
            #expect(portal.status == 201, "\(portal.text)")
        }
    }

    @Test func overHTTPSTheCookieIsAlsoSecure() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("SignInTLS-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = FakeDEP.Options(adminToken: Self.token)
        options.tls = .localAuthority(directory: directory.path)
        let fakedep = try await FakeDEP.start(options)
        var trusting = TransportOptions()
        trusting.caFile = fakedep.authorityFile
        let body = "token=\(WebFormat.segment(Self.token))&next=%2Fweb%2F"
        let response = try await HTTPClient(userAgent: "fakedep-tests/1.0", options: trusting).send(
            HTTPRequest(
                method: "POST", url: fakedep.url.absoluteString + "/web/sign-in",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data(body.utf8)))
        await fakedep.stop()

        #expect(response.status == 303, "\(response.text)")
        let setCookie = try #require(response.header("Set-Cookie"))
        let attributes = Set(setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(attributes.isSuperset(of: ["Secure", "HttpOnly", "SameSite=Strict"]), "\(setCookie)")
    }

    @Test func aWrongTokenIsAskedForAgain() async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let response = try await Self.signIn(server, token: "guess", next: "/web/servers")
            #expect(response.status == 401)
            #expect(response.header("Set-Cookie") == nil)
            #expect(response.text.contains("That is not the admin token this server was started with."))
            #expect(response.text.contains(#"value="/web/servers""#))
        }
    }

    @Test(arguments: ["//attacker.example/", "/\\attacker.example", "https://attacker.example/", "web/servers"])
    func theSignInReturnsOnlyToAPathOfThisServer(next: String) async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let response = try await Self.signIn(server, token: Self.token, next: next)
            #expect(response.header("Location") == "/web/")
        }
    }

    @Test func signingOutForgetsTheCookie() async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let response = try await server.send(
                "POST", "/web/sign-out", headers: [("Cookie", "fakedep_admin=" + AdminGuardTests.cookie)])
            #expect(response.status == 303)
            #expect(response.header("Location") == "/web/sign-in")
            let setCookie = try #require(response.header("Set-Cookie"))
            #expect(setCookie.hasPrefix("fakedep_admin=;") && setCookie.contains("Max-Age=0"), "\(setCookie)")
        }
    }

    @Test func aSignInFromAnotherSitesPageIsRefused() async throws {
        try await TestServer.with(adminToken: Self.token) { server in
            let response = try await Self.signIn(
                server, token: Self.token, next: "/", headers: [("Origin", "http://attacker.example")])
            #expect(response.status == 403)
            #expect(response.header("Set-Cookie") == nil)
        }
    }

    @Test func withoutATokenThereIsNothingToSignInTo() async throws {
        try await TestServer.with { server in
            let page = try await server.send("GET", "/web/sign-in")
            #expect(page.status == 303 && page.header("Location") == "/web/")
            let overview = try await server.send("GET", "/")
            #expect(!overview.text.contains("sign-out"))
        }
    }

    @Test(
        arguments: [
            ("token=a%2Bb+c&next=%2Fweb%2F", ["token": "a+b c", "next": "/web/"]),
            ("token=&x", ["token": "", "x": ""]),
            ("token=%zz&token=second", ["token": "second"]), ("a=1&a=2", ["a": "1"]),
        ] as [(String, [String: String])])
    func aFormBodyIsReadAsBrowsersWriteIt(body: String, fields: [String: String]) {
        #expect(SignInRoutes.form(body) == fields)
    }

    static func signIn(
        _ server: TestServer, token: String, next: String, headers: [(name: String, value: String)] = []
    ) async throws -> HTTPResponse {
        let body = "token=\(WebFormat.segment(token))&next=\(WebFormat.segment(next))"
        return try await server.http.send(
            HTTPRequest(
                method: "POST", url: server.baseURL + "/web/sign-in",
                headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers, body: Data(body.utf8)))
    }
}
