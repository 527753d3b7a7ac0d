import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `DELETE /portal/servers/{server}/token`: a revoked token is refused at `/session` as an
/// unknown consumer key, its sessions end, and the journal says why (dep-api §1.5, §2.5).
struct TokenRevocationTests {
    @Test func aRevokedTokenIsRefusedAsAnUnknownKeyAndItsSessionsEnd() async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll("Revoked MDM")
            let session = try await DEPSession(server, enrolled)

            let revoked = try await server.portal("DELETE", "/servers/Revoked%20MDM/token")
            #expect(revoked.status == 204)
            let summary = try await server.portalValue(MDMServerSummary.self, "GET", "/servers/Revoked%20MDM")
            #expect(summary.hasCertificate && summary.certificateSubject == "deptokens")
            #expect(summary.tokenIssued == nil && summary.tokenExpiry == nil)

            let account = try await session.call("GET", "/account")
            #expect(account.answer == PlainAnswer(401, "UNAUTHORIZED"))
            let ended = try await JournalTests.journal(server, query: "operation=account&status=401").entries
            #expect(ended.count == 1 && ended.first?.why != nil, "\(ended)")
            let refused = try await server.send(
                "GET", "/session", headers: [("Authorization", try enrolled.authorization(server))])
            var stranger = enrolled.tokens
            stranger.consumerKey = "CK_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let unknown = try await server.send(
                "GET", "/session",
                headers: [
                    ("Authorization", try EnrolledServer(name: "", uuid: "", tokens: stranger).authorization(server))
                ]
            )
            #expect(refused.status == 401)
            #expect(refused.answer == unknown.answer)

            let entries = try await JournalTests.journal(server, query: "operation=session&status=401").entries
            let why = try #require(entries.first { $0.why?.contains(enrolled.tokens.consumerKey) == true }?.why)
            #expect(
                why
                    == "oauth_problem=consumer_key_unknown: oauth_consumer_key \(enrolled.tokens.consumerKey) is of the token of Revoked MDM, revoked in the portal on \(DEPDate.format(TestServer.start)); download a new one"
            )

            // A new token works again.
            let pair = TestKeyPair.shared
            let renewed = try await EnrolledServer.downloadTokens(
                server, name: "Revoked MDM", key: pair.key, certificate: pair.certificate)
            let reenrolled = EnrolledServer(name: "Revoked MDM", uuid: enrolled.uuid, tokens: renewed)
            #expect(try await !reenrolled.openSession(server).isEmpty)
        }
    }

    @Test func aTokenRevokedInAWorldIsRefusedInThatWorldsJournal() async throws {
        try await TestServer.with { server in
            let id = try await WorldTests.createWorld(server, seed: #""empty""#)
            let world = server.inWorld(id)
            let enrolled = try await EnrolledServer.makeThroughPortal(world, name: "World MDM")
            #expect(try await world.portal("DELETE", "/servers/\(enrolled.uuid)/token").status == 204)

            let refused = try await server.send(
                "GET", "/session", headers: [("Authorization", try enrolled.authorization(server))])
            #expect(refused.status == 401)
            let journal = try await server.send("GET", "/_fakedep/worlds/\(id)/journal?operation=session")
            let entries = try DEPJSON.decode(JournalPageBody.self, from: journal.body).entries
            #expect(entries.count == 1)
            #expect(entries.first?.why?.contains("is of the token of World MDM, revoked in the portal") == true)
        }
    }

    @Test func revokingAServerWithoutATokenChangesNothing() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Tokenless MDM")
            let state = try await server.storeState()
            #expect(try await server.portal("DELETE", "/servers/Tokenless%20MDM/token").status == 204)
            #expect(try await server.storeState() == state)
        }
    }

    @Test func anUnknownServerIsRefusedAndNothingChanges() async throws {
        try await TestServer.with { server in
            _ = try await server.enroll("Kept MDM")
            let state = try await server.storeState()
            let problem = try await server.portalProblem("DELETE", "/servers/Nobody/token")
            #expect(problem.status == 404 && problem.error == "NOT_FOUND")
            let control = try await server.portalProblem("DELETE", "/servers/Kept%00MDM/token")
            #expect(control.status == 400 && control.error == "INVALID_REQUEST")
            #expect(try await server.storeState() == state)
        }
    }
}
