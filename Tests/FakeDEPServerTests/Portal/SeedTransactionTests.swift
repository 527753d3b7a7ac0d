import DEPSync
import DEPTestServer
import DEPTestSupport
import FakeDEPServer
import Foundation
import Testing

/// A seed is one transaction: `fakedep` killed in the middle of one keeps none of it, and the
/// same seed tried again adds each of its devices once.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct SeedTransactionTests {
    @Test func aSeedKilledHalfWayLeavesNothingAndARetryAddsEachDeviceOnce() async throws {
        try await ScratchDirectory.with { directory in
            let database = directory.appendingPathComponent("fakedep.sqlite").path
            let port = try FreePort.pick()
            let url = "http://127.0.0.1:\(port)"
            let binary = try #require(FakeDEPBinary.url)
            let serving = try ChildProcess.start(
                binary, ["serve", "--db", database, "--port", String(port), "--log-level", "warning"], in: directory)
            let http = HTTPClient(userAgent: "fakedep-tests/1.0")
            try await Self.waitUntilServing(url, http: http)

            // Far more devices than a debug build seeds in the time before the kill.
            let seed = Task {
                try await http.send(
                    HTTPRequest(
                        method: "POST", url: url + "/portal/seed", headers: [("Content-Type", "application/json")],
                        body: Data(#"{"devices":3000000}"#.utf8)))
            }
            try await Task.sleep(for: .seconds(2))
            serving.send(SIGKILL)
            _ = try await serving.outcome()
            let answer = await seed.result
            if case .success(let response) = answer {
                Issue.record("the seed finished before the kill (\(response.status)); seed more devices")
            }

            let reopened = try await RunningServer.start(databasePath: database, seed: false)
            let server = reopened.server
            do {
                let before = try await server.portalSerials()
                #expect(before.count == 82, "only the mock organisation's devices")
                _ = try await server.portal("POST", "/seed", json: #"{"devices":500,"seed":1}"#)
                #expect(try await server.portalSerials().count == 82 + 500)
                await reopened.stop()
            } catch {
                await reopened.stop()
                throw error
            }
        }
    }

    /// Polls the portal until the service answers.
    static func waitUntilServing(_ url: String, http: HTTPClient) async throws {
        for _ in 0..<600 {
            if let response = try? await http.send(HTTPRequest(method: "GET", url: url + "/portal/organisation")),
                response.status == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CancellationError()
    }
}
