import DEPTestServer
import FakeDEPServer
import FakeDEPTesting
import Testing

/// The connection cap, seen from raw sockets: connections beyond it are closed at once and those
/// already open keep being served.
struct ConnectionCapTests {
    static let request = "GET /portal/servers HTTP/1.1\r\nHost: localhost\r\n\r\n"

    @Test func connectionsBeyondTheCapAreClosedWhileOpenOnesAreServed() async throws {
        try await TestServer.with(http: .patient { $0.maximumConnections = 4 }) { server in
            // Four kept-alive clients, each served once so that the server has counted it.
            var open: [RawConnection] = []
            for _ in 0..<4 {
                let (client, response) = try await RawConnection.answered(Self.request, port: server.port)
                #expect(response.status == 200)
                open.append(client)
            }
            var extra: [RawConnection] = []
            for _ in 0..<3 {
                let client = try await RawConnection(port: server.port)
                #expect(await client.waitForClose() == .closed, "a fifth connection is closed at once")
                extra.append(client)
            }
            for client in open {
                try await client.send(Self.request)
                #expect(try await client.readResponse().status == 200, "clients already connected are still served")
            }

            for client in open + extra { client.shutdown() }
            // The server sees them go a moment after the client does.
            #expect(try await RawConnection.answered(Self.request, port: server.port).1.status == 200)
        }
    }

    /// A thousand clients and the harness that drives them fit under the default cap; a low
    /// open-file limit still keeps descriptors free for the store.
    @Test func theDefaultCapLeavesRoomAboveAThousandClients() {
        #expect(HTTPLimits.defaultMaximumConnections(openFiles: 20_000) == 4096)
        #expect(HTTPLimits.defaultMaximumConnections(openFiles: 1024) == 768)
        #expect(HTTPLimits.defaultMaximumConnections(openFiles: 100) == 50)
    }
}
