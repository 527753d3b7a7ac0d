import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `depsync status` tells its administrator to renew the server token from 30 days before it
/// expires, as Apple's email does. The token's year is counted in the service's time when it was
/// issued; the agent judges what is left by its own clock.
struct TokenExpiryTests {
    @Test func theAgentSaysItsTokenExpiresSoonFromThirtyDaysBeforeItsExpiry() async throws {
        try await TestServer.with { server in
            try await MDMHarness.with(server) { mdm in
                try await mdm.enrol()
                let expiry = try #require(DEPDate.parse("2027-05-28T20:26:40Z"))
                #expect(try await mdm.agent.status().tokenExpiry == expiry)

                // The agent's clock is the test's real time, which the server's clock follows.
                server.clock.set(expiry.addingTimeInterval(-30 * 86_400 - 1))
                let month = try await mdm.agent.status()
                #expect(!month.tokenExpiresSoon && !month.isTokenExpired)
                server.clock.set(expiry.addingTimeInterval(-30 * 86_400))
                let soon = try await mdm.agent.status()
                #expect(soon.tokenExpiresSoon && soon.daysToTokenExpiry == 30)
                server.clock.set(expiry)
                let expired = try await mdm.agent.status()
                #expect(expired.isTokenExpired && !expired.tokenExpiresSoon)
            }
        }
    }

    @Test(.enabled(if: DEPSyncBinary.url != nil, "the depsync binary is not built; run `swift build` first"))
    func statusWarnsOnStandardErrorWhenTheTokenExpiresWithinThirtyDays() async throws {
        try await ScratchDirectory.with { directory in
            // A service whose clock is 340 days behind the machine's: its token expires in 25 days.
            let behind = ManualTimeSource(Date().addingTimeInterval(-340 * 86_400))
            try await TestServer.with(clock: behind) { server in
                let cli = DEPSyncBinary(directory: directory, server: server)
                try await cli.enrol(server)
                let status = try await cli.run(["status"])
                #expect(status.status == 0, "\(status)")
                #expect(status.standardOutput.contains("days: renew it in the portal)"), "\(status)")
                let warning = status.standardError
                #expect(warning.hasPrefix("warning: the server token expires on "), "\(status)")
                #expect(warning.contains("`depsync token import FILE`"))
                #expect(warning.split(separator: "\n").count == 1)
            }
        }
    }

    @Test(.enabled(if: DEPSyncBinary.url != nil, "the depsync binary is not built; run `swift build` first"))
    func statusSaysNothingMoreOfATokenWithMonthsLeft() async throws {
        try await DEPSyncBinary.withServer { server, cli in
            try await cli.enrol(server)
            let status = try await cli.run(["status"])
            #expect(status.status == 0, "\(status)")
            #expect(status.standardOutput.contains("days left)"), "\(status)")
            #expect(status.standardError.isEmpty, "\(status)")
        }
    }
}
