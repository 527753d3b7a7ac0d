import DEPTestServer
import FakeDEPServer
import Testing

/// The header and idle timeouts, seen from a raw socket: slow or silent clients are closed
/// while others are served.
struct ConnectionTimeoutTests {
    static let request = "GET /portal/servers HTTP/1.1\r\nHost: localhost\r\n\r\n"

    @Test func aClientTricklingItsRequestHeadIsClosedAfterTheHeaderTimeoutWhileOthersAreServed() async throws {
        let limits = HTTPLimits(headerTimeout: .seconds(1), idleTimeout: .seconds(120))
        try await TestServer.with(http: limits) { server in
            let slow = try await RawConnection(port: server.port)
            // A head that would take a minute at this pace: it never gets to be complete.
            let trickle = Task {
                for byte
                    in "GET /portal/servers HTTP/1.1\r\nHost: localhost\r\nX-Slow: \(String(repeating: "a", count: 200))"
                    .utf8
                {
                    guard (try? await slow.send([byte])) != nil else { return }
                    try? await Task.sleep(for: .milliseconds(300))
                }
            }
            #expect(try await RawConnection.answered(Self.request, port: server.port).1.status == 200)
            #expect(try await slow.readToEnd().isEmpty, "closed without an answer")
            trickle.cancel()
        }
    }

    @Test func aClientThatSendsNothingIsClosedAfterTheHeaderTimeout() async throws {
        try await TestServer.with(http: HTTPLimits(headerTimeout: .seconds(1), idleTimeout: .seconds(120))) { server in
            let silent = try await RawConnection(port: server.port)
            #expect(await silent.waitForClose() == .closed)
        }
    }

    @Test func aKeptAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await TestServer.with(http: HTTPLimits(headerTimeout: .seconds(120), idleTimeout: .seconds(1))) { server in
            let (client, response) = try await RawConnection.answered(Self.request, port: server.port)
            #expect(response.status == 200)
            #expect(await client.waitForClose() == .closed)
        }
    }

    @Test func aKeptAliveClientThatStartsARequestMustFinishItsHeadWithinTheHeaderTimeout() async throws {
        // The idle timeout is far beyond the wait: only the header clock, started by the first
        // byte of the second request, can close the connection.
        try await TestServer.with(http: HTTPLimits(headerTimeout: .seconds(1), idleTimeout: .seconds(600))) { server in
            let (client, response) = try await RawConnection.answered(Self.request, port: server.port)
            #expect(response.status == 200)
            try await client.send("GET /portal/ser")
            #expect(await client.waitForClose() == .closed)
        }
    }
}
