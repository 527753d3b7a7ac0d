import DEPCrypto
import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// A world kept in a file outlives its server: a restart on the same database keeps servers,
/// tokens, assignments, profiles and cursors, and ends only the sessions (dep-api §2.4, §4.1).
struct PersistenceTests {
    /// What the MDM and the administrator hold when the first server stops.
    private struct Before: Sendable {
        var tokens: OAuthTokens
        var session: String
        var profileUUID: String
        var cursor: String
        var servers: [MDMServerSummary]
        var devices: [PortalDevice]
    }

    @Test func aRestartKeepsTheWorldAndEndsOnlyTheSessions() async throws {
        try await ScratchDirectory.with { directory in
            let path = directory.appendingPathComponent("fakedep.sqlite").path
            let clock = ManualTimeSource(TestServer.start)
            let before = try await TestServer.with(databasePath: path, clock: clock) { server in
                try await Self.prepare(server)
            }
            clock.advance(by: 60)

            try await TestServer.with(databasePath: path, clock: clock) { server in
                // Not seeded twice, nothing lost.
                #expect(try await server.portalValue([MDMServerSummary].self, "GET", "/servers") == before.servers)
                #expect(try await server.portalDevices() == before.devices)
                #expect(try await server.portalValue([PortalOrder].self, "GET", "/orders").count == 4)

                let old = try await server.send(
                    "GET", "/account",
                    headers: [(DEPHeader.authSession, before.session), (DEPHeader.protocolVersion, "10")])
                #expect(old.status == 401)
                #expect(old.text == "UNAUTHORIZED")

                let enrolled = EnrolledServer(name: "Durable MDM", uuid: before.servers[0].uuid, tokens: before.tokens)
                let session = try await DEPSession(server, enrolled)
                let profile = try await session.decode(
                    Profile.self, "GET", "/profile?profile_uuid=\(before.profileUUID)")
                #expect(profile.profileName == "Durable profile")
                #expect(profile.profileUUID == before.profileUUID)

                let quiet = try await session.decode(
                    FetchDeviceResponse.self, "POST", "/devices/sync", json: #"{"cursor":"\#(before.cursor)"}"#)
                #expect(quiet.devices ?? [] == [])

                let unassigned = try #require(before.devices.first { $0.server == nil }).serialNumber
                try await server.assign([unassigned], to: "Durable MDM")
                let sync = try await session.decode(
                    FetchDeviceResponse.self, "POST", "/devices/sync", json: #"{"cursor":"\#(before.cursor)"}"#)
                #expect(sync.devices?.map(\.serialNumber) == [unassigned])
                #expect(sync.devices?.first?.opType == .added)
            }
        }
    }

    /// Creates a server with a key, downloads its token, assigns an order, defines a profile
    /// and fetches, all through HTTP.
    private static func prepare(_ server: TestServer) async throws -> Before {
        let key = try PrivateKey.generateRSA()
        let certificate = try Certificate.selfSigned(key: key, commonName: "durable", days: 1)
        let body = #"{"name":"Durable MDM","certificate":\#(try DEPJSON.encodeString(try certificate.pem))}"#
        let summary = try await server.portalValue(MDMServerSummary.self, "POST", "/servers", json: body)
        let token = try await server.portal("GET", "/servers/Durable%20MDM/token")
        let tokens = try TokenMessage.parse(
            Array(
                try EnvelopedData.decrypt(
                    Data(try SMIMEEnvelope.unwrap(Array(token.body))), key: key, certificate: certificate)))
        let order = try #require(try await server.portalValue([PortalOrder].self, "GET", "/orders").first)
        _ = try await server.portalValue(
            PortalReport.self, "POST", "/servers/Durable%20MDM/devices", json: #"{"order":"\#(order.number)"}"#)
        let assigned = try await server.portalSerials("server=Durable%20MDM")

        let enrolled = EnrolledServer(name: summary.name, uuid: summary.uuid, tokens: tokens)
        let session = try await DEPSession(server, enrolled)
        let profile = try await session.decode(
            DefineProfileResponse.self, "POST", "/profile",
            json: #"""
                {"profile_name":"Durable profile","url":"https://mdm.example.com/enroll","devices":["\#(assigned[0])"]}
                """#)
        let fetch = try await session.decode(FetchDeviceResponse.self, "POST", "/server/devices", json: "{}")
        #expect(fetch.devices?.count == assigned.count)
        #expect(!fetch.moreToFollow)
        return Before(
            tokens: tokens, session: session.token, profileUUID: profile.profileUUID, cursor: fetch.cursor,
            servers: try await server.portalValue([MDMServerSummary].self, "GET", "/servers"),
            devices: try await server.portalDevices())
    }
}
