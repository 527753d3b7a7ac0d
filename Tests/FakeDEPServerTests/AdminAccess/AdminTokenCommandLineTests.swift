import DEPSync
import DEPTestServer
import DEPTestSupport
import Foundation
import Testing

/// `fakedep serve --admin-token` (or `FAKEDEP_ADMIN_TOKEN`), the warning of a server open beyond
/// loopback, and the portal commands passing the token on.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct AdminTokenCommandLineTests {
    static let token = AdminGuardTests.token

    @Test func thePortalCommandsPassTheTokenFromTheirOptionOrTheEnvironment() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with(adminToken: Self.token) { server in
                let refused = try await FakeDEPBinary.run(["server", "list"], server: server, in: directory)
                #expect(refused.status == 1, "\(refused)")
                #expect(refused.standardError.contains("--admin-token or FAKEDEP_ADMIN_TOKEN"), "\(refused)")

                for arguments in [["server", "list"], ["world", "list"], ["journal", "--limit", "1"]] {
                    let outcome = try await FakeDEPBinary.run(
                        arguments + ["--admin-token", Self.token], server: server, in: directory)
                    #expect(outcome.status == 0, "\(arguments): \(outcome)")
                }
                let binary = try #require(FakeDEPBinary.url)
                let fromEnvironment = try await ChildProcess.run(
                    URL(fileURLWithPath: "/usr/bin/env"),
                    ["FAKEDEP_ADMIN_TOKEN=" + Self.token, binary.path, "world", "list", "--url", server.baseURL],
                    in: directory)
                #expect(fromEnvironment.status == 0, "\(fromEnvironment)")
                #expect(fromEnvironment.standardOutput.contains("default"))
            }
        }
    }

    @Test func servingBeyondLoopbackWithoutATokenIsWarnedOf() async throws {
        let open = try await Self.serve(["--host", "0.0.0.0"])
        #expect(open.standardError.contains("without an admin token"), "\(open)")
        let guarded = try await Self.serve(["--host", "0.0.0.0"], environment: ["FAKEDEP_ADMIN_TOKEN=" + Self.token])
        #expect(!guarded.standardError.contains("without an admin token"), "\(guarded)")
        let loopback = try await Self.serve([])
        #expect(!loopback.standardError.contains("without an admin token"), "\(loopback)")
    }

    @Test func anEmptyTokenIsRefused() async throws {
        try await ScratchDirectory.with { directory in
            let binary = try #require(FakeDEPBinary.url)
            let outcome = try await ChildProcess.run(binary, ["serve", "--admin-token", ""], in: directory)
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("--admin-token (FAKEDEP_ADMIN_TOKEN) must not be empty."))
        }
    }

    @Test func aServedTokenGuardsThePortalAndNotTheProbe() async throws {
        try await ScratchDirectory.with { directory in
            let binary = try #require(FakeDEPBinary.url)
            let serving = try ChildProcess.start(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "FAKEDEP_ADMIN_TOKEN=" + Self.token, binary.path, "serve", "--db", ":memory:", "--port", "0",
                    "--ready-file", "ready", "--log-level", "warning",
                ], in: directory)
            let base = try await Self.url(in: directory)
            let http = HTTPClient(userAgent: "admin-token-test/1.0")
            #expect(try await http.send(HTTPRequest(method: "GET", url: base + "/_fakedep/health")).status == 200)
            #expect(try await http.send(HTTPRequest(method: "GET", url: base + "/portal/servers")).status == 401)
            let authorized = try await http.send(
                HTTPRequest(
                    method: "GET", url: base + "/portal/servers", headers: [("Authorization", "Bearer " + Self.token)]))
            #expect(authorized.status == 200)
            serving.send(SIGTERM)
            let outcome = try await serving.outcome()
            #expect(outcome.standardOutput.contains("ask for the admin token"), "\(outcome)")
            #expect(!outcome.standardOutput.contains(Self.token) && !outcome.standardError.contains(Self.token))
        }
    }

    /// What `fakedep serve` with `arguments` writes before it listens, stopped once it does.
    private static func serve(_ arguments: [String], environment: [String] = []) async throws -> ChildProcess.Outcome {
        try await ScratchDirectory.with { directory in
            let binary = try #require(FakeDEPBinary.url)
            let serving = try ChildProcess.start(
                URL(fileURLWithPath: "/usr/bin/env"),
                environment + [binary.path, "serve", "--db", ":memory:", "--port", "0", "--ready-file", "ready"]
                    + arguments, in: directory)
            _ = try await url(in: directory)
            serving.send(SIGTERM)
            return try await serving.outcome()
        }
    }

    /// The URL a server wrote to its ready file, waiting up to a minute for it.
    private static func url(in directory: URL) async throws -> String {
        let ready = directory.appendingPathComponent("ready")
        for _ in 0..<600 {
            let url = (try? String(contentsOf: ready, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let url, !url.isEmpty { return url }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CancellationError()
    }
}
