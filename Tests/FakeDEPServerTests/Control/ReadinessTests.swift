import DEPSync
import DEPTestSupport
import DEPWire
import Foundation
import Testing

/// What a harness or CI service check needs from `fakedep serve`: the URL it chose for port 0
/// (first line, and in a ready file), `/_fakedep/health`, and every option from the environment.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct ReadinessTests {
    @Test func aServerOnPortZeroSaysWhereItListensAndTakesOptionsFromTheEnvironment() async throws {
        try await ScratchDirectory.with { directory in
            let serving = try Self.serveFromEnvironment(journalSize: 3, in: directory)
            let base = try #require(try await Self.url(in: directory.appendingPathComponent("ready")))
            #expect(base.wholeMatch(of: /http:\/\/127\.0\.0\.1:[0-9]+/) != nil)

            let http = HTTPClient(userAgent: "readiness-test/1.0")
            let health = try await http.send(HTTPRequest(method: "GET", url: base + "/_fakedep/health"))
            #expect(health.status == 200)
            #expect(
                try DEPJSON.decode([String: String].self, from: health.body) == ["status": "ok", "version": "0.1.0"])
            for _ in 0..<5 { _ = try await http.send(HTTPRequest(method: "GET", url: base + "/portal/orders")) }
            let count = try await http.send(HTTPRequest(method: "GET", url: base + "/_fakedep/worlds/default/journal"))
            #expect(try DEPJSON.decode(JournalPageBody.self, from: count.body).entries.count == 3)

            serving.send(SIGTERM)
            let outcome = try await serving.outcome()
            #expect(outcome.standardOutput.split(separator: "\n").first.map(String.init) == base)
        }
    }

    /// A harness reading stdout through a pipe or file gets the URL while the server runs, not
    /// when it ends: stdout is no terminal there, so it is flushed by hand.
    @Test func theURLAndTheWebPortalAreSaidWhileTheServerRuns() async throws {
        try await ScratchDirectory.with { directory in
            let serving = try Self.serveFromEnvironment(journalSize: 3, in: directory)
            let base = try #require(try await Self.url(in: directory.appendingPathComponent("ready")))
            var printed = ""
            for _ in 0..<100 where !printed.contains("Open the web portal at") {
                printed = serving.standardOutputSoFar()
                try await Task.sleep(for: .milliseconds(100))
            }
            serving.send(SIGTERM)
            _ = try await serving.outcome()
            #expect(printed.hasPrefix(base + "\n"), "\(printed)")
            #expect(printed.contains("Open the web portal at \(base)/ in a browser."), "\(printed)")
        }
    }

    @Test func aJournalSizeOfZeroFromTheEnvironmentTurnsTheJournalOff() async throws {
        try await ScratchDirectory.with { directory in
            let serving = try Self.serveFromEnvironment(journalSize: 0, in: directory)
            let base = try #require(try await Self.url(in: directory.appendingPathComponent("ready")))
            let http = HTTPClient(userAgent: "readiness-test/1.0")
            #expect(try await http.send(HTTPRequest(method: "GET", url: base + "/portal/orders")).status == 200)
            let journal = try await http.send(
                HTTPRequest(method: "GET", url: base + "/_fakedep/worlds/default/journal"))
            #expect(journal.status == 409)
            #expect(try DEPJSON.decode([String: String].self, from: journal.body)["error"] == "JOURNAL_OFF")

            serving.send(SIGTERM)
            _ = try await serving.outcome()
        }
    }

    @Test func theLogShowsATokenRequestsQueryWithItsAssertionSignatureRedacted() async throws {
        try await ScratchDirectory.with { directory in
            let serving = try Self.serveFromEnvironment(journalSize: 10, logLevel: "info", in: directory)
            let base = try #require(try await Self.url(in: directory.appendingPathComponent("ready")))
            let query =
                "grant_type=client_credentials&client_id=BUSINESSAPI.x&client_assertion=aGVhZA.Y2xhaW1z.SECRETSIG"
            let http = HTTPClient(userAgent: "readiness-test/1.0")
            let refused = try await http.send(HTTPRequest(method: "POST", url: base + "/auth/oauth2/token?" + query))
            #expect(refused.status == 400)

            serving.send(SIGTERM)
            let outcome = try await serving.outcome()
            #expect(outcome.standardError.contains("client_assertion=aGVhZA.Y2xhaW1z.REDACTED"), "\(outcome)")
            #expect(!outcome.standardError.contains("SECRETSIG"))
        }
    }

    @Test func aNegativeJournalSizeIsRefused() async throws {
        try await ScratchDirectory.with { directory in
            let binary = try #require(FakeDEPBinary.url)
            let outcome = try await ChildProcess.run(binary, ["serve", "--journal-size=-1"], in: directory)
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("--journal-size must be 0 (no journal) or more."))
        }
    }

    @Test func anUnreadableEnvironmentVariableIsAClearError() async throws {
        try await ScratchDirectory.with { directory in
            let binary = try #require(FakeDEPBinary.url)
            let outcome = try await ChildProcess.run(
                URL(fileURLWithPath: "/usr/bin/env"), ["FAKEDEP_PORT=eighty", binary.path, "serve"], in: directory)
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("FAKEDEP_PORT=eighty is not a valid value."))
        }
    }

    /// The URL a server wrote to its ready file, waiting up to a minute for it.
    /// A fakedep on port 0 configured by environment variables only, writing its URL to `ready`.
    private static func serveFromEnvironment(journalSize: Int, logLevel: String = "warning", in directory: URL) throws
        -> ChildProcess.Running
    {
        let binary = try #require(FakeDEPBinary.url)
        return try ChildProcess.start(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "FAKEDEP_DB=:memory:", "FAKEDEP_JOURNAL_SIZE=\(journalSize)", "FAKEDEP_LOG_LEVEL=\(logLevel)",
                binary.path,
                "serve", "--port", "0", "--ready-file", "ready",
            ], in: directory)
    }

    private static func url(in ready: URL) async throws -> String? {
        for _ in 0..<600 {
            let url = (try? String(contentsOf: ready, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let url, !url.isEmpty { return url }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }
}
