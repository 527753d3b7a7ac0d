import DEPTestServer
import DEPWire
import FakeDEPServer
import FakeDEPTesting
import Synchronization
import Testing

/// Bodies too large for their route, seen from a raw socket: 413 in the surface's error shape,
/// before the server reads them, nothing stored, and the connection closed.
struct BodyLimitTests {
    @Test func aHundredMegabytePortalBodyIsRefusedWith413BeforeTheServerReadsIt() async throws {
        try await TestServer.with { server in
            let before = try await server.world.listServers()
            let client = try await RawConnection(port: server.port)
            let upload = Self.upload(
                100_000_000, to: client,
                head: "POST /portal/servers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            #expect(try response.portalError() == "TOO_LARGE")
            #expect(await client.waitForClose() == .closed)
            let sent = await upload.value
            #expect(sent < 50_000_000, "the server read \(sent) bytes of 100 MB")
            #expect(try await server.world.listServers() == before)
        }
    }

    @Test func aTenMegabyteCertificateIsRefusedWith413() async throws {
        try await TestServer.with { server in
            _ = try await server.world.createServer(name: "Big Key MDM")
            let client = try await RawConnection(port: server.port)
            let upload = Self.upload(
                10_000_000, to: client,
                head:
                    "PUT /portal/servers/Big%20Key%20MDM/certificate HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-pem-file\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(try response.portalError() == "TOO_LARGE")
            #expect(await client.waitForClose() == .closed)
            _ = await upload.value
            #expect(try await server.world.showServer("Big Key MDM").hasCertificate == false)
        }
    }

    @Test func aChunkedBodyIsCutOffWith413OnceItPassesTheServersCap() async throws {
        try await TestServer.with(http: .patient { $0.maximumBodySize = 1000 }) { server in
            let client = try await RawConnection(port: server.port)
            let name = String(repeating: "x", count: 2000)
            let body = #"{"name":"\#(name)"}"#
            try await client.send(
                "POST /portal/servers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"
                    + String(body.utf8.count, radix: 16) + "\r\n" + body + "\r\n0\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(try response.portalError() == "TOO_LARGE")
            #expect(try await server.world.listServers().isEmpty)
        }
    }

    @Test func aContentLengthOverTheServersCapIsRefusedOnADEPRouteInPlainText() async throws {
        try await TestServer.with(http: .patient { $0.maximumBodySize = 1000 }) { server in
            let client = try await RawConnection(port: server.port)
            try await client.send(
                "POST /devices HTTP/1.1\r\nHost: localhost\r\nUser-Agent: raw/1.0\r\nContent-Length: 5000\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Content-Type") == "text/plain;charset=UTF8")
            #expect(await client.waitForClose() == .closed)
        }
    }

    /// Sends `head` with a `Content-Length` of `size`, then that many bytes, until done or the
    /// server closes the connection; the task's value is how many body bytes were sent.
    static func upload(_ size: Int, to client: RawConnection, head: String) -> Task<Int, Never> {
        Task {
            guard (try? await client.send(head + "Content-Length: \(size)\r\n\r\n")) != nil else { return 0 }
            let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 16)
            var sent = 0
            while sent < size {
                guard (try? await client.send(Array(block.prefix(size - sent)))) != nil else { break }
                sent += min(block.count, size - sent)
            }
            return sent
        }
    }
}
