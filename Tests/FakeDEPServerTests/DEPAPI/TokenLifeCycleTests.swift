import DEPCrypto
import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Issue → `/session` OK → re-issue → old credentials refused (dep-api §1.5, §2.5).
struct TokenLifeCycleTests {
    @Test func aReissuedTokenReplacesTheOldOne() async throws {
        try await TestServer.with { server in
            let key = try PrivateKey.generateRSA()
            let certificate = try Certificate.selfSigned(key: key, commonName: "deptokens", days: 1)
            _ = try await server.world.createServer(name: "Lifecycle MDM", certificate: try certificate.der)
            let first = try await EnrolledServer.downloadTokens(
                server, name: "Lifecycle MDM", key: key, certificate: certificate)
            let enrolled = EnrolledServer(name: "Lifecycle MDM", uuid: "", tokens: first)
            let session = try await enrolled.openSession(server)
            #expect(!session.isEmpty)

            let second = try await EnrolledServer.downloadTokens(
                server, name: "Lifecycle MDM", key: key, certificate: certificate)
            #expect(second.consumerKey != first.consumerKey)
            let old = try await server.send(
                "GET", "/session", headers: [("Authorization", try enrolled.authorization(server))])
            #expect(old.status == 401)
            let renewed = EnrolledServer(name: "Lifecycle MDM", uuid: "", tokens: second)
            #expect(try await !renewed.openSession(server).isEmpty)

            // Sessions of the replaced token end with it.
            let account = try await server.send(
                "GET", "/account", headers: [(DEPHeader.authSession, session), (DEPHeader.protocolVersion, "10")])
            #expect(account.status == 401)
            #expect(account.text == "UNAUTHORIZED")
        }
    }

    @Test func theTokenIsValidForOneYear() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server)
            #expect(
                enrolled.tokens.accessTokenExpiry == Calendar.utc.date(byAdding: .year, value: 1, to: TestServer.start))
            server.clock.advance(by: 366 * 86_400)
            let response = try await server.send(
                "GET", "/session", headers: [("Authorization", try enrolled.authorization(server))])
            #expect(response.status == 401)
            #expect(DEPError(status: response.status, body: response.text).code == OAuthProblem.tokenExpired.code)
        }
    }
}

extension Calendar {
    static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }
}
