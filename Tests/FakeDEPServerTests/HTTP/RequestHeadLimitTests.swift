import DEPTestServer
import FakeDEPServer
import Testing

/// Request heads far too large, seen from a raw socket: a 400 and a closed connection, never a
/// hang or a crash, and the server goes on serving.
struct RequestHeadLimitTests {
    @Test func aHeadWithHugeHeadersIsAnswered400AndClosed() async throws {
        try await TestServer.with { server in
            let client = try await RawConnection(port: server.port)
            let headers = (0..<200).map { "X-Filler-\($0): \(String(repeating: "a", count: 1000))\r\n" }.joined()
            try await client.send("GET /portal/servers HTTP/1.1\r\nHost: localhost\r\n\(headers)\r\n")
            #expect(try await client.readResponse().status == 400)
            #expect(await client.waitForClose() == .closed)
            #expect(try await Self.serves(server))
        }
    }

    @Test func aOneMegabyteURLIsAnswered400AndClosed() async throws {
        try await TestServer.with { server in
            let client = try await RawConnection(port: server.port)
            let head =
                "GET /portal/servers?q=\(String(repeating: "a", count: 1 << 20)) HTTP/1.1\r\nHost: localhost\r\n\r\n"
            let send = Task { try? await client.send(head) }
            #expect(try await client.readResponse().status == 400)
            #expect(await client.waitForClose() == .closed)
            _ = await send.value
            #expect(try await Self.serves(server))
        }
    }

    static func serves(_ server: TestServer) async throws -> Bool {
        let client = try await RawConnection(port: server.port)
        try await client.send("GET /portal/servers HTTP/1.1\r\nHost: localhost\r\n\r\n")
        return try await client.readResponse().status == 200
    }
}
