import DEPSync
import DEPTestServer
import DEPWire
import Foundation
import Testing

@testable import FakeDEPServer

/// The portal, test control and web pages answer only to the server's own names; a page whose
/// name was made to resolve to it (DNS rebinding) is told 421 and reads nothing. Apple's surfaces
/// answer to any name.
struct HostGuardTests {
    @Test(arguments: ["/portal/servers", "/_fakedep/worlds", "/", "/web/devices", "/_fakedep/worlds/default/web/"])
    func aForeignHostIsMisdirected(path: String) async throws {
        try await TestServer.with { server in
            let (_, response) = try await RawConnection.answered(
                "GET \(path) HTTP/1.1\r\nHost: rebound.example:\(server.port)\r\n\r\n", port: server.port)
            #expect(response.status == 421, "\(path)")
            #expect(try response.portalError() == "MISDIRECTED_REQUEST")
            #expect(response.text.contains("--public-host rebound.example"))
        }
    }

    @Test func aForeignHostChangesNothing() async throws {
        try await TestServer.with { server in
            let body = #"{"name":"Forged"}"#
            let (_, response) = try await RawConnection.answered(
                "POST /portal/servers HTTP/1.1\r\nHost: rebound.example\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)", port: server.port)
            #expect(response.status == 421)
            #expect(try await server.world.listServers().isEmpty)
        }
    }

    @Test(arguments: ["localhost", "localhost:PORT", "LocalHost.", "127.0.0.1:PORT", "127.0.0.1", "[::1]:PORT"])
    func theLoopbackNamesAreAnswered(host: String) async throws {
        try await TestServer.with { server in
            let host = host.replacingOccurrences(of: "PORT", with: String(server.port))
            let (_, response) = try await RawConnection.answered(
                "GET /portal/servers HTTP/1.1\r\nHost: \(host)\r\n\r\n", port: server.port)
            #expect(response.status == 200, "\(host): \(response.text)")
        }
    }

    @Test func applesDEPAPIAnswersAnyHost() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let response = try await server.http.send(
                HTTPRequest(
                    method: "GET", url: server.baseURL + "/account",
                    headers: [
                        ("Host", "mdmenrollment.apple.com"), (DEPHeader.authSession, linked.session.token),
                        (DEPHeader.protocolVersion, "10"),
                    ]))
            #expect(response.status == 200, "\(response.text)")
        }
    }

    @Test func theNamesAreTheLoopbackOnesTheBoundAddressAndThePublicOnes() {
        let names = ServerNames(boundHost: "10.1.2.3", publicHosts: ["FakeDEP.Example.com"])
        #expect(names.contains("localhost") && names.contains("127.0.0.1") && names.contains("::1"))
        #expect(names.contains("10.1.2.3"))
        #expect(names.contains("fakedep.example.com."))
        #expect(!names.contains("example.com"))
        #expect(!names.contains("fakedep.example.com.evil"))
        let wildcard = ServerNames(boundHost: "0.0.0.0", publicHosts: [])
        #expect(!wildcard.contains("0.0.0.0"))
        #expect(wildcard.contains("192.168.1.5", localAddress: "192.168.1.5"))
        #expect(!wildcard.contains("attacker.example", localAddress: "192.168.1.5"))
    }

    @Test(
        arguments: [
            ("localhost:8080", "localhost", 8080), ("[::1]:80", "::1", 80), ("Example.COM", "example.com", nil),
            ("[::1]", "::1", nil),
        ] as [(String, String, Int?)])
    func anAuthoritySplitsIntoHostAndPort(authority: String, host: String, port: Int?) {
        let split = ServerNames.split(authority: authority)
        #expect(split.host == host)
        #expect(split.port == port)
    }
}
