import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// A world's clock is Apple's business time — cursor age, token expiry, session idle time, the
/// provisional period, every date answered — while the OAuth timestamp check stays on real time.
/// Each moved through `/_fakedep/worlds/{id}/clock`, never by editing the store.
struct BusinessTimeTests {
    static let start = TestServer.start
    static let day: TimeInterval = 86_400

    @Test func sevenDaysAndOneSecondExpireAStoredCursor() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 3)
            let cursor = try await linked.session.exhaustedCursor()
            _ = try await server.advanceClock("P7D")
            // Sessions idle out in the world's time too; a new one signs with real time.
            #expect(try await linked.session.call("GET", "/account").answer == PlainAnswer(401, "UNAUTHORIZED"))
            let session = try await DEPSession(server, linked.enrolled)
            #expect(try await session.sync(cursor: cursor).status == 200)

            _ = try await server.advanceClock(by: "1")
            #expect(try await session.sync(cursor: cursor).answer == PlainAnswer(400, "EXPIRED_CURSOR"))
        }
    }

    @Test func a366DayAdvanceExpiresTheTokenWhileAFreshSignatureStillPassesTheTimestampCheck() async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll()
            let moved = try await server.advanceClock("P366D")
            #expect(
                moved.due == [
                    DueEvent(at: Self.start.addingTimeInterval(365 * Self.day), kind: .tokenExpired, server: "Test MDM")
                ])

            // Signed now by a client on real time: the timestamp passes, the token does not.
            let fresh = try enrolled.authorization(server)
            let refused = try await server.send("GET", "/session", headers: [("Authorization", fresh)])
            #expect(refused.answer == PlainAnswer(401, "oauth_problem=token_expired"))
            // Signed with the world's time, a year from real time: that timestamp is what fails.
            let ahead = try enrolled.authorization(server, at: moved.now)
            let early = try await server.send("GET", "/session", headers: [("Authorization", ahead)])
            #expect(early.answer == PlainAnswer(401, "oauth_problem=timestamp_refused"))

            // A token downloaded now lasts a year of the world's time (2028 is a leap year), and
            // signs in on real time.
            let pair = TestKeyPair.shared
            let renewed = try await EnrolledServer.downloadTokens(
                server, name: "Test MDM", key: pair.key, certificate: pair.certificate)
            #expect(moved.now == DEPDate.parse("2027-05-29T20:26:40Z"))
            #expect(renewed.accessTokenExpiry == DEPDate.parse("2028-05-29T20:26:40Z"))
            let session = EnrolledServer(name: "Test MDM", uuid: enrolled.uuid, tokens: renewed)
            #expect(try await !session.openSession(server).isEmpty)
        }
    }

    @Test func a31DayAdvanceEndsAConfiguratorDevicesProvisionalPeriodAndReportsIt() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Configurator MDM")
            try await server.configuratorAdd(["CFGCLOCK001"], model: "iPhone17,3", server: "Configurator MDM")
            let until = try #require(try await ConfiguratorPortalTests.enroll("CFGCLOCK001", linked, server))
            #expect(until == Self.start.addingTimeInterval(30 * Self.day))

            #expect(try await server.advanceClock("P29D").due == [])
            let moved = try await server.advanceClock("P2D")
            #expect(moved.due == [DueEvent(at: until, kind: .provisionalPeriodEnded, serial: "CFGCLOCK001")])

            let problem = try await server.portalProblem("POST", "/devices/CFGCLOCK001/release-provisional")
            #expect(problem.status == 400 && problem.error == "PROVISIONAL_PERIOD_ENDED", "\(problem)")
            #expect(problem.message.contains("ended on \(DEPDate.format(until))"))
            #expect(try await server.inventoryRecord("CFGCLOCK001").server == "Configurator MDM")
        }
    }

    @Test func whatFellDueComesInTheOrderItFellDue() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("First MDM")
            server.clock.advance(by: 60)
            _ = try await server.enroll("Second MDM")
            try await server.configuratorAdd(["CFGORDER001"], model: "iPhone17,3", server: "First MDM")
            let until = try #require(try await ConfiguratorPortalTests.enroll("CFGORDER001", linked, server))

            let moved = try await server.advanceClock("P1Y1D")
            #expect(
                moved.due == [
                    DueEvent(at: until, kind: .provisionalPeriodEnded, serial: "CFGORDER001"),
                    DueEvent(
                        at: Self.start.addingTimeInterval(365 * Self.day), kind: .tokenExpired, server: "First MDM"),
                    DueEvent(
                        at: Self.start.addingTimeInterval(365 * Self.day + 60), kind: .tokenExpired,
                        server: "Second MDM"),
                ])
            // Each falls due once: a later advance does not report them again.
            #expect(try await server.advanceClock("P1D").due == [])
            let text = try await server.send("POST", "/_fakedep/worlds/default/clock/advance", json: #"{"by":"P400D"}"#)
            #expect(text.text.hasSuffix(#","due":[]}"#))
        }
    }

    @Test func datesTheWorldAnswersAreInItsTimeAndEveryAnswerSaysWhatTimeItIs() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            let cursor = try await linked.session.exhaustedCursor()
            let moved = try await server.advanceClock("P2D")
            #expect(moved.now == Self.start.addingTimeInterval(2 * Self.day))
            let session = try await DEPSession(server, linked.enrolled)
            let serial = try await server.freeSerials(1)[0]
            _ = try await server.world.assign(serials: [serial], to: linked.name)

            let sync = try await session.sync(cursor: cursor)
            #expect(sync.header("X-FakeDEP-Now") == "2026-05-30T20:26:40Z")
            let page = try DEPJSON.decode(FetchDeviceResponse.self, from: sync.body)
            #expect(page.devices?.map(\.opDate) == [moved.now])
            #expect(page.devices?.first?.deviceAssignedDate == moved.now)
            #expect(page.fetchedUntil == moved.now)

            // Refusals, the portal and the device side say it too; control answers do not.
            let refused = try await linked.session.call("GET", "/account")
            #expect(refused.status == 401 && refused.header("X-FakeDEP-Now") == "2026-05-30T20:26:40Z")
            #expect(try await server.portal("GET", "/servers").header("X-FakeDEP-Now") == "2026-05-30T20:26:40Z")
            #expect(try await server.send("GET", "/_fakedep/worlds").header("X-FakeDEP-Now") == nil)
        }
    }

    @Test func eachWorldsAnswersCarryItsOwnTime() async throws {
        try await TestServer.with { server in
            let id = try await WorldTests.createWorld(server)
            _ = try await server.advanceClock("P1D", world: id)
            let world = server.inWorld(id)
            #expect(try await world.portal("GET", "/servers").header("X-FakeDEP-Now") == "2026-05-29T20:26:40Z")
            #expect(try await server.portal("GET", "/servers").header("X-FakeDEP-Now") == "2026-05-28T20:26:40Z")
        }
    }
}
