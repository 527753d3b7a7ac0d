import DEPTestServer
import DEPWire
import FakeDEPServer
import Testing

/// Request bodies whose HTTP framing is broken or in a coding the server does not decode, seen
/// from a raw socket: one 4xx/5xx answer in the surface's shape, nothing stored, and the
/// connection closed when the body was not read to its end.
struct BodyFramingTests {
    static let portalHead = "POST /portal/servers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
    static let depHead =
        "POST /devices HTTP/1.1\r\nHost: localhost\r\nUser-Agent: raw/1.0\r\nContent-Type: application/json\r\n"

    @Test(arguments: ["zz", "FFFFFFFFFFFFFFFFFFFFFFFF"])
    func aMalformedChunkSizeIsAnswered400OnAPortalRoute(size: String) async throws {
        try await TestServer.with { server in
            let client = try await RawConnection(port: server.port)
            try await client.send(
                Self.portalHead + "Transfer-Encoding: chunked\r\n\r\n\(size)\r\n{\"name\":\"Chunky\"}\r\n0\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(try response.portalError() == "MALFORMED_BODY")
            #expect(try await client.readToEnd().isEmpty, "one answer, then the connection closes")
            #expect(try await server.world.listServers().isEmpty)
        }
    }

    @Test func aMalformedChunkSizeIsAnswered400OnADEPRoute() async throws {
        try await TestServer.with { server in
            let client = try await RawConnection(port: server.port)
            try await client.send(Self.depHead + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.text == "MALFORMED_REQUEST_BODY")
            #expect(try await client.readToEnd().isEmpty, "one answer, then the connection closes")
        }
    }

    @Test func aDEPRouteThatAnswersBeforeReadingAMalformedBodyAnswersOnceAndCloses() async throws {
        try await TestServer.with { server in
            let client = try await RawConnection(port: server.port)
            // `/account` reads no body: it refuses the missing session first.
            try await client.send(
                "GET /account HTTP/1.1\r\nHost: localhost\r\nUser-Agent: raw/1.0\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
            )
            let response = try await client.readResponse()
            #expect(response.status == 401)
            #expect(response.header("Connection") == "close")
            #expect(try await client.readToEnd().isEmpty, "no second answer for the same request")
        }
    }

    @Test func aTransferCodingOtherThanChunkedIsRefusedWith501AndNothingIsStored() async throws {
        try await TestServer.with { server in
            let body = #"{"name":"Gzipped MDM"}"#
            let portal = try await RawConnection(port: server.port)
            try await portal.send(
                Self.portalHead + "Transfer-Encoding: gzip, chunked\r\n\r\n"
                    + String(body.utf8.count, radix: 16) + "\r\n\(body)\r\n0\r\n\r\n")
            let refusal = try await portal.readResponse()
            #expect(refusal.status == 501)
            #expect(try refusal.portalError() == "UNSUPPORTED_TRANSFER_CODING")
            #expect(try await server.world.listServers().isEmpty)

            let dep = try await RawConnection(port: server.port)
            try await dep.send(Self.depHead + "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
            let plain = try await dep.readResponse()
            #expect(plain.status == 501)
            #expect(plain.header("Content-Type") == "text/plain;charset=UTF8")
        }
    }

    @Test func aTransferEncodingThatDoesNotEndInChunkedIsRefusedWith400AndClosed() async throws {
        try await TestServer.with { server in
            let client = try await RawConnection(port: server.port)
            try await client.send(Self.portalHead + "Transfer-Encoding: gzip\r\n\r\n{\"name\":\"Gzipped MDM\"}")
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(try response.portalError() == "MALFORMED_BODY")
            #expect(await client.waitForClose() == .closed)
            #expect(try await server.world.listServers().isEmpty)
        }
    }
}
