import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// depsync against fakedep's shipped scenarios of short-lived server tokens, over libcurl: it
/// warns before its token expires, and once `/session` refuses the token as expired it says to
/// download a new one, opening no session in a loop and keeping what it stored.
struct ScenarioTokenTests {
    @Test func aTokenExpiringWithinThirtyDaysIsWarnedOfAndOnceExpiredASyncIsRefusedAsSuch() async throws {
        try await ScenarioWorld.with("token-expiring") { scenario in
            let status = try await scenario.agent.status()
            #expect(status.tokenExpiresSoon && !status.isTokenExpired)
            #expect(status.daysToTokenExpiry == 20)
            let first = try await scenario.agent.sync()
            #expect(first.changes.added == 40)

            // Three weeks on in the world; the agent's own clock says the token has a day left.
            try await scenario.advanceWorldClock(by: "P21D")
            let error = await #expect(throws: DEPClientError.self) { try await scenario.agent.sync() }
            guard case .tokenExpired(let expiry)? = error else {
                Issue.record("expected tokenExpired, got \(String(describing: error))")
                return
            }
            #expect(expiry == status.tokenExpiry)
            #expect("\(error!)".contains("download a new token from the portal"))

            let sessions = try scenario.journal("session")
            #expect(sessions.map(\.status) == [200, 401])
            #expect(sessions.last?.why?.contains("token_expired") == true)
            #expect(try scenario.journal("fetch_devices").count == 1)
            #expect(try await scenario.storedDevices().count == 40)
        }
    }

    @Test func anExpiredTokenIsReportedAsSuchWithOneSessionRequestPerSync() async throws {
        try await ScenarioWorld.with("token-expired") { scenario in
            let status = try await scenario.agent.status()
            #expect(status.tokenExpiry == TestServer.start.addingTimeInterval(1))
            // The test's world clock stands still until moved: the second that passes in real
            // time before the MDM uses its token passes here.
            try await scenario.advanceWorldClock(by: "PT1S")

            for _ in 1...2 {
                let error = await #expect(throws: DEPClientError.self) { try await scenario.agent.sync() }
                guard case .tokenExpired? = error else {
                    Issue.record("expected tokenExpired, got \(String(describing: error))")
                    return
                }
                #expect("\(error!)".contains("download a new token from the portal"))
            }

            let sessions = try scenario.journal("session")
            #expect(sessions.map(\.status) == [401, 401])
            #expect(sessions.allSatisfy { $0.why?.contains("token_expired") == true })
            let calls = try scenario.journal().filter { !$0.operation.hasPrefix("portal_") }
            #expect(calls.map(\.operation) == ["session", "session"])
            #expect(try await scenario.storedDevices().isEmpty)
        }
    }
}
