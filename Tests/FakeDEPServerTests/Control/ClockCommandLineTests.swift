import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `fakedep clock …`, run as the built binary against a test server.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct ClockCommandLineTests {
    @Test func aWorldsClockIsShownAdvancedSetFrozenAndUnfrozenFromTheCommandLine() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                _ = try await server.enroll("CLI MDM")
                let id = try await WorldTests.createWorld(server)
                func run(_ arguments: String...) async throws -> ChildProcess.Outcome {
                    try await FakeDEPBinary.run(arguments, server: server, in: directory)
                }

                let show = try await run("clock", "show", "--world", id)
                #expect(show.status == 0, "\(show)")
                #expect(show.standardOutput == "2026-05-28T20:26:40Z  offset +0 s  running\n")

                let advance = try await run("clock", "advance", "P7DT1S", "--world", id)
                #expect(advance.standardOutput == "2026-06-04T20:26:41Z\n", "\(advance)")
                #expect(try await server.clock().now == TestServer.start)

                // The default world without --world; its server's token expires on the way.
                let year = try await run("clock", "advance", "31622400")
                #expect(
                    year.standardOutput
                        == "2027-05-29T20:26:40Z\ndue 2027-05-28T20:26:40Z  token_expired  CLI MDM\n", "\(year)")

                let set = try await run("clock", "set", "2027-01-01T00:00:00Z", "--world", id)
                #expect(set.standardOutput == "2027-01-01T00:00:00Z\n", "\(set)")
                let frozen = try await run("clock", "freeze", "--world", id)
                #expect(frozen.standardOutput.hasSuffix("frozen\n"), "\(frozen)")
                #expect(try await server.clock(id).frozen)
                let running = try await run("clock", "unfreeze", "--world", id)
                #expect(running.standardOutput.hasSuffix("running\n"), "\(running)")

                let backwards = try await run("clock", "set", "2026-12-31T00:00:00Z", "--world", id)
                #expect(backwards.status != 0)
                #expect(backwards.standardError.contains("only moves forward"), "\(backwards)")
                let malformed = try await run("clock", "advance", "7 days", "--world", id)
                #expect(malformed.status != 0)
                #expect(malformed.standardError.contains("is not an ISO 8601 duration"), "\(malformed)")
                #expect(try await server.clock(id).now == DEPDate.parse("2027-01-01T00:00:00Z"))
            }
        }
    }
}
