import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The `depsync` command line, run as the built binary against a test `fakedep`.
@Suite(.enabled(if: DEPSyncBinary.url != nil, "the depsync binary is not built; run `swift build` first"))
struct CommandLineTests {
    @Test func theWholeFlowThroughTheCommandLine() async throws {
        try await DEPSyncBinary.withServer { server, cli in
            let request = try await cli.run(["token", "request"])
            #expect(request.status == 0, "\(request)")
            let keyAttributes = try FileManager.default.attributesOfItem(
                atPath: cli.state.appendingPathComponent("depsync.key").path)
            #expect((keyAttributes[.posixPermissions] as? Int) == 0o600)
            let again = try await cli.run(["token", "request"])
            #expect(again.status != 0)
            #expect(again.standardError.contains("already has a key pair; pass --force"))

            let pem = try String(contentsOf: cli.state.appendingPathComponent("depsync.pem"), encoding: .utf8)
            let created = try await server.portal(
                "POST", "/servers",
                body: try JSONSerialization.data(withJSONObject: ["name": "CLI MDM", "certificate": pem]),
                contentType: "application/json")
            #expect(created.status == 201)
            let token = try await server.portal(
                "GET", "/servers/CLI%20MDM/token", body: nil, contentType: "application/json")
            try token.body.write(to: cli.directory.appendingPathComponent("token.p7m"))
            let imported = try await cli.run(["token", "import", "token.p7m"])
            #expect(imported.status == 0, "\(imported)")
            #expect(imported.standardOutput.contains("It expires on 20"))

            let serials = try await server.freeSerials(8)
            _ = try await server.world.assign(serials: serials, to: "CLI MDM")
            let sync = try await cli.run(["sync", "--once"])
            #expect(sync.status == 0, "\(sync)")
            #expect(sync.standardOutput == "Full fetch: 8 received in 2 pages; 8 added, 0 modified, 0 removed.\n")

            let table = try await cli.run(["devices"])
            #expect(table.standardOutput.hasPrefix("SERIAL"))
            #expect(table.standardOutput.components(separatedBy: "Not contacted").count - 1 == 8)
            #expect(table.standardOutput.hasSuffix("8 devices\n"))
            let json = try await cli.run(["devices", "--json"])
            let objects = try #require(try JSONSerialization.jsonObject(with: json.output) as? [[String: Any]])
            #expect(objects.count == 8)
            #expect(objects.allSatisfy { $0["enrollment_status"] as? String == "Not contacted" })
            #expect(Set(objects.compactMap { $0["serial_number"] as? String }) == Set(serials))
            let csv = try await cli.run(["devices", "--csv", "--status", "no profile"])
            #expect(csv.standardOutput.split(separator: "\r\n").count == 9)
            let unknown = try await cli.run(["devices", "--status", "lost"])
            #expect(unknown.status != 0)

            try Data(#"{"profile_name": "No URL"}"#.utf8).write(to: cli.directory.appendingPathComponent("bad.json"))
            let refused = try await cli.run(["profile", "define", "bad.json"])
            #expect(refused.status != 0)
            #expect(refused.standardError.contains("CONFIG_URL_REQUIRED"))
            #expect(refused.standardError.split(separator: "\n").count == 1)
            try Data(#"{"profile_name": "CLI", "url": "https://mdm.example.com/enroll"}"#.utf8)
                .write(to: cli.directory.appendingPathComponent("good.json"))
            let defined = try await cli.run(["profile", "define", "good.json"])
            #expect(defined.status == 0, "\(defined)")
            let uuid = try #require(defined.standardOutput.split(separator: " ").dropFirst(2).first.map(String.init))
            let assigned = try await cli.run(["profile", "assign", uuid, "--unassigned"])
            #expect(assigned.status == 0, "\(assigned)")
            #expect(assigned.standardOutput.hasSuffix("8 of 8 assigned in 1 requests.\n"))
            _ = try await cli.run(["sync"])
            let status = try await cli.run(["status"])
            #expect(status.standardOutput.contains("  Not contacted: 8\n"))
            #expect(status.standardOutput.contains("  Assigned: 8\n"))
            #expect(status.standardOutput.contains("Token: expires "))
        }
    }

    @Test func failuresAreOneLineNamingWhatToDo() async throws {
        try await DEPSyncBinary.withServer { server, cli in
            let noToken = try await cli.run(["sync"])
            #expect(noToken.status != 0)
            #expect(
                noToken.standardError
                    == "Error: no server token imported; download one from the portal and run `depsync token import FILE.p7m`\n"
            )

            try await cli.enrol(server)
            _ = try await server.portalOrganisation(termsSigned: false)
            let terms = try await cli.run(["sync"])
            #expect(terms.status != 0)
            #expect(terms.standardError.split(separator: "\n").count == 1)
            #expect(
                terms.standardError.contains("the organisation must accept Apple's terms and conditions in the portal"))
        }
    }

    @Test func theDaemonStopsCleanlyOnSIGTERM() async throws {
        try await DEPSyncBinary.withServer { server, cli in
            try await cli.enrol(server)
            let daemon = try cli.start(["sync", "--interval", "0.2"])
            let store = try cli.store()
            for _ in 0..<500 where try await store.syncState().lastSync == nil {
                try await Task.sleep(for: .milliseconds(20))
            }
            daemon.send(SIGTERM)
            let outcome = try await daemon.outcome()
            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.standardOutput.hasPrefix("Full fetch: 0 received"))
            #expect(outcome.standardOutput.hasSuffix("Stopped.\n"))
        }
    }
}

/// The command line against what a service or a store may hold: the daemon outlives absurd
/// waits, the service's URL is remembered, and what is printed lines up and is escaped.
@Suite(.enabled(if: DEPSyncBinary.url != nil, "the depsync binary is not built; run `swift build` first"))
struct CommandLineHostilityTests {
    /// A state directory in `directory` with a token valid from now (the binary signs with the
    /// real time) and `devices` stored by a completed full fetch.
    private func prepareState(in directory: URL, devices: [Device] = []) async throws -> URL {
        let state = directory.appendingPathComponent("state")
        let store = try LocalStore.open(stateDirectory: state.path)
        let tokens = OAuthTokens(
            consumerKey: "CK_cli", consumerSecret: "CS", accessToken: "AT", accessSecret: "AS",
            accessTokenExpiry: Date().addingTimeInterval(365 * 86_400))
        try await store.storeToken(tokens, at: Date())
        _ = try await store.commitFetchPage(
            devices, cursor: "f1", generation: 1, complete: true, at: Date(), autoAssign: false)
        return state
    }

    /// Runs the binary with `environment` added and exactly `arguments`.
    private func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL) async throws
        -> ChildProcess.Outcome
    {
        let binary = try #require(DEPSyncBinary.url)
        let assignments = environment.map { "\($0.key)=\($0.value)" }
        return try await ChildProcess.run(
            URL(fileURLWithPath: "/usr/bin/env"), assignments + [binary.path] + arguments, in: directory)
    }

    @Test func theDaemonOutlivesAnEndlessRetryAfterAndSaysSo() async throws {
        let binary = try #require(DEPSyncBinary.url)
        try await ScratchDirectory.with { directory in
            let state = try await prepareState(in: directory)
            try await HostileService.with({ request in
                request.path == "/session" ? nil : .text(429, "TOO_MANY_REQUESTS", headers: ["Retry-After": "inf"])
            }) { service in
                let daemon = try ChildProcess.start(
                    binary, ["sync", "--interval", "0.05", "--state", state.path, "--url", service.baseURL],
                    in: directory)
                // At most a minute on a loaded machine; usually a fraction of a second.
                for _ in 0..<3000 where await service.requests(to: "/account") < 3 {
                    try await Task.sleep(for: .milliseconds(20))
                }
                daemon.send(SIGTERM)
                let outcome = try await daemon.outcome()

                #expect(outcome.status == 0, "\(outcome)")
                #expect(outcome.standardOutput == "Stopped.\n", "\(outcome)")
                let failures = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("depsync: ") }
                #expect(failures.count >= 3, "\(outcome)")
                #expect(failures.allSatisfy { $0.contains("throttling requests (429), asking to wait 3600 s") })
                #expect(outcome.standardError.contains("depsync takes it as 3600 s"), "\(outcome)")
            }
        }
    }

    @Test func theServiceURLIsRememberedAndTheEnvironmentAndFlagsComeFirst() async throws {
        try await DEPSyncBinary.withServer { server, cli in
            let state = cli.state.path
            let request = try await run(["token", "request", "--state", state], in: cli.directory)
            #expect(request.status == 0, "\(request)")
            #expect(RememberedServiceURL.read(stateDirectory: state) == nil)
            let pem = try String(contentsOf: cli.state.appendingPathComponent("depsync.pem"), encoding: .utf8)
            _ = try await server.portal(
                "POST", "/servers",
                body: try JSONSerialization.data(withJSONObject: ["name": "URL MDM", "certificate": pem]),
                contentType: "application/json")
            let token = try await server.portal(
                "GET", "/servers/URL%20MDM/token", body: nil, contentType: "application/json")
            try token.body.write(to: cli.directory.appendingPathComponent("token.p7m"))
            // The URL given at token import is the one remembered.
            let imported = try await run(
                ["token", "import", "token.p7m", "--state", state, "--url", server.baseURL], in: cli.directory)
            #expect(imported.status == 0, "\(imported)")
            #expect(RememberedServiceURL.read(stateDirectory: state) == server.baseURL)

            // Remembered: no --url needed.
            let remembered = try await run(["sync", "--state", state], in: cli.directory)
            #expect(remembered.status == 0, "\(remembered)")
            #expect(remembered.standardOutput.hasPrefix("Full fetch: 0 received"))

            try await HostileService.with({ request in
                request.path == "/session" ? .text(403, "ACCESS_DENIED") : nil
            }) { other in
                // DEPSYNC_URL comes before the remembered URL…
                let environment = try await run(
                    ["sync", "--state", state], environment: ["DEPSYNC_URL": other.baseURL], in: cli.directory)
                #expect(environment.status != 0)
                #expect(environment.standardError.contains("ACCESS_DENIED"), "\(environment)")
                #expect(await other.requests(to: "/session") == 1)
                // …and --url before DEPSYNC_URL.
                let flag = try await run(
                    ["sync", "--state", state, "--url", server.baseURL], environment: ["DEPSYNC_URL": other.baseURL],
                    in: cli.directory)
                #expect(flag.status == 0, "\(flag)")
                #expect(await other.requests(to: "/session") == 1)
            }
            #expect(RememberedServiceURL.read(stateDirectory: state) == server.baseURL)

            // DEPSYNC_STATE names the state directory when --state is not given.
            let status = try await run(["status"], environment: ["DEPSYNC_STATE": state], in: cli.directory)
            #expect(status.status == 0, "\(status)")
            #expect(status.standardOutput.hasPrefix("Service: \(server.baseURL)\nToken: expires "), "\(status)")
            // With nothing given or remembered, the default.
            let fresh = try await run(["status", "--state", "fresh"], in: cli.directory)
            #expect(fresh.standardOutput.hasPrefix("Service: http://127.0.0.1:8080\n"), "\(fresh)")
        }
    }

    @Test func theDevicesTableLinesUpWhateverTheModelAndEscapesWhatItPrints() async throws {
        try await ScratchDirectory.with { directory in
            let hostile = "\u{1B}[2J\u{1B}[31mEvil"
            let devices = [
                Device(serialNumber: "C02LONGNAME1", description: "MBP 14 M4 PRO SPACE BLACK 512GB"),
                Device(serialNumber: "C02ESCAPES01", description: hostile),
                Device(serialNumber: "C02SHORT0001", description: "iPad"),
                Device(serialNumber: "C02VERYLONG1", description: String(repeating: "X", count: 60)),
            ]
            let state = try await prepareState(in: directory, devices: devices)

            let table = try await run(["devices", "--state", state.path], in: directory)

            #expect(table.status == 0, "\(table)")
            var lines = table.standardOutput.split(separator: "\n").map(String.init)
            #expect(lines.popLast() == "4 devices")
            let header = try #require(lines.first)
            // Each row's status and profile start right under their headers.
            for column in ["STATUS", "PROFILE"] {
                let start = try #require(header.range(of: column)).lowerBound.utf16Offset(in: header)
                for row in lines.dropFirst() {
                    let value = column == "STATUS" ? "Not contacted" : "No profile"
                    #expect(row.range(of: value)?.lowerBound.utf16Offset(in: row) == start, "\(row)")
                }
            }
            #expect(table.standardOutput.contains("MBP 14 M4 PRO SPACE BLACK 512GB"))
            #expect(table.standardOutput.contains(#"\e[2J\e[31mEvil"#))
            #expect(!table.standardOutput.contains("\u{1B}"))
            #expect(table.standardOutput.contains(String(repeating: "X", count: 39) + "…"))

            let csv = try await run(["devices", "--csv", "--state", state.path], in: directory)
            #expect(!csv.standardOutput.contains("\u{1B}"))
            #expect(csv.standardOutput.contains(#"\e[2J\e[31mEvil"#))

            // JSON stays exact: its own escapes carry the text as stored.
            let json = try await run(["devices", "--json", "--state", state.path], in: directory)
            let objects = try #require(try JSONSerialization.jsonObject(with: json.output) as? [[String: Any]])
            #expect(objects.contains { $0["description"] as? String == hostile })
            #expect(!json.standardOutput.contains("\u{1B}"))
        }
    }

    @Test func profileNamesFromTheStoreArePrintedEscaped() async throws {
        try await ScratchDirectory.with { directory in
            let state = try await prepareState(in: directory)
            try await LocalStore.open(stateDirectory: state.path).storeProfile(
                Profile(profileName: "\u{1B}]0;pwned\u{7}Kiosk", url: "https://mdm.example.com"), uuid: "UUID-1",
                at: Date())

            let list = try await run(["profile", "list", "--state", state.path], in: directory)

            #expect(list.standardOutput.hasPrefix(#"UUID-1  \e]0;pwned\u{7}Kiosk  "#), "\(list)")
        }
    }
}

/// The built `depsync` and a state directory for it.
struct DEPSyncBinary: Sendable {
    static let url = BuiltBinary.url("depsync")

    let directory: URL
    let server: TestServer
    var state: URL { directory.appendingPathComponent("state") }

    /// Runs `body` with a server on the real clock (the binary signs with it) and a fresh directory.
    static func withServer(_ body: @Sendable (TestServer, DEPSyncBinary) async throws -> Void) async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with(clock: ManualTimeSource(Date())) { server in
                try await body(server, DEPSyncBinary(directory: directory, server: server))
            }
        }
    }

    /// Runs `depsync` with `arguments` plus the state directory and the server's URL.
    func run(_ arguments: [String]) async throws -> ChildProcess.Outcome {
        try await start(arguments).outcome()
    }

    func start(_ arguments: [String]) throws -> ChildProcess.Running {
        guard let url = Self.url else { throw CancellationError() }
        return try ChildProcess.start(
            url, arguments + ["--state", state.path, "--url", server.baseURL], in: directory)
    }

    /// The token ceremony through the library, for tests about what comes after it.
    func enrol(_ server: TestServer) async throws {
        let agent = try MDMHarness.agent(server, state: state)
        try await MDMHarness(server: server, agent: agent, stateDirectory: state, name: "CLI MDM").enrol()
    }

    func store() throws -> LocalStore {
        try LocalStore(path: state.appendingPathComponent("depsync.sqlite").path)
    }
}
