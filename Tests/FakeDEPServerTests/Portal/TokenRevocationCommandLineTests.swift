import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `fakedep server revoke-token`, run as the built binary, in a world of its own (`--world`).
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct TokenRevocationCommandLineTests {
    @Test func serverRevokeTokenEndsTheToken() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let id = try await WorldTests.createWorld(server, seed: #""empty""#)
                let world = server.inWorld(id)
                let enrolled = try await EnrolledServer.makeThroughPortal(world, name: "CLI MDM")

                let revoke = try await FakeDEPBinary.run(
                    ["server", "revoke-token", "CLI MDM", "--world", id], server: server, in: directory)
                #expect(revoke.status == 0, "\(revoke)")
                #expect(
                    revoke.standardOutput
                        == "CLI MDM holds no token now; download a new one with `fakedep server token`.\n")
                let summary = try await world.portalValue(MDMServerSummary.self, "GET", "/servers/CLI%20MDM")
                #expect(summary.tokenExpiry == nil && summary.hasCertificate)
                let refused = try await server.send(
                    "GET", "/session", headers: [("Authorization", try enrolled.authorization(server))])
                #expect(refused.status == 401)

                let unknown = try await FakeDEPBinary.run(
                    ["server", "revoke-token", "Nobody", "--world", id], server: server, in: directory)
                #expect(unknown.status != 0)
                #expect(unknown.standardError.contains("No MDM server is named or numbered \"Nobody\""), "\(unknown)")
            }
        }
    }
}
