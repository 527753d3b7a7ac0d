import DEPSync
import DEPTestSupport
import Foundation

/// `fakedep serve` as a child process on a store of the test's, to kill with SIGKILL and start
/// again on the same files.
struct ServeProcess: Sendable {
    let url: String
    let http: HTTPClient
    private let running: ChildProcess.Running

    /// Starts `fakedep serve` on `database` (no mock data), keeping worlds in `worldsDirectory`,
    /// and waits until it answers its health check.
    static func start(database: URL, worldsDirectory: URL, in directory: URL) async throws -> ServeProcess {
        guard let binary = FakeDEPBinary.url else { throw FakeDEPBinary.Missing() }
        // Port 0: the server picks a free port and prints its URL alone on its first line, so no
        // other test can take the port between a pick and the bind.
        let running = try ChildProcess.start(
            binary,
            [
                "serve", "--db", database.path, "--worlds-dir", worldsDirectory.path, "--port", "0",
                "--no-mock-data", "--log-level", "warning",
            ], in: directory)
        for _ in 0..<600 {
            let output = running.standardOutputSoFar()
            if let end = output.firstIndex(of: "\n") {
                let serve = ServeProcess(
                    url: String(output[..<end]), http: HTTPClient(userAgent: "fakedep-tests/1.0"), running: running)
                if let health = try? await serve.send("GET", "/_fakedep/health"), health.status == 200 { return serve }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        running.send(SIGKILL)
        throw NotServing(outcome: try await running.outcome())
    }

    /// Sends a request; `body` goes as JSON unless `contentType` says otherwise.
    func send(
        _ method: String, _ path: String, body: Data? = nil, contentType: String = "application/json",
        headers: [(name: String, value: String)] = []
    ) async throws -> HTTPResponse {
        var headers = headers
        if body != nil { headers.append(("Content-Type", contentType)) }
        return try await http.send(HTTPRequest(method: method, url: url + path, headers: headers, body: body))
    }

    /// Sends a request that must answer `expected` and returns its body.
    func expect(
        _ expected: Int, _ method: String, _ path: String, body: Data? = nil, contentType: String = "application/json",
        headers: [(name: String, value: String)] = []
    ) async throws -> Data {
        let response = try await send(method, path, body: body, contentType: contentType, headers: headers)
        guard response.status == expected else {
            throw UnexpectedAnswer(description: "\(method) \(path) answered \(response.status): \(response.text)")
        }
        return response.body
    }

    /// Kills the process with SIGKILL, as a crash or the OOM killer would, and reaps it.
    func kill() async {
        running.send(SIGKILL)
        _ = try? await running.outcome()
    }

    /// Stops the process with SIGTERM and waits until it has.
    func stop() async {
        running.send(SIGTERM)
        _ = try? await running.outcome()
    }

    /// `fakedep serve` did not answer its health check.
    struct NotServing: Error, CustomStringConvertible {
        let outcome: ChildProcess.Outcome
        var description: String { "fakedep serve did not start: \(outcome)" }
    }

    /// A request answered with another status than the test needed.
    struct UnexpectedAnswer: Error, CustomStringConvertible {
        let description: String
    }
}
