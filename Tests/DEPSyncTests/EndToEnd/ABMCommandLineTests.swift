import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `depsync abm`, run as the built binary against a test `fakedep`.
@Suite(.enabled(if: DEPSyncBinary.url != nil, "the depsync binary is not built; run `swift build` first"))
struct ABMCommandLineTests {
    @Test func loginListAssignAndRefreshThroughTheCommandLine() async throws {
        try await DEPSyncBinary.withServer { server, cli in
            let account = try await server.createAPIAccount(name: "CLI")
            try Data(account.privateKey.utf8).write(to: cli.directory.appendingPathComponent("abm.pem"))
            let login = try await cli.run([
                "abm", "login", "--client-id", account.clientID, "--key-id", account.keyID, "--key-file", "abm.pem",
            ])
            #expect(login.status == 0, "\(login)")
            #expect(
                login.standardOutput.hasPrefix(
                    "Logged in to Apple Business Manager (business.api) as \(account.clientID) at \(server.baseURL)."))
            let kept = cli.state.appendingPathComponent("abm-key.pem").path
            #expect((try FileManager.default.attributesOfItem(atPath: kept)[.posixPermissions] as? Int) == 0o600)
            #expect(FileManager.default.contents(atPath: kept) == Data(account.privateKey.utf8))

            try await cli.enrol(server)
            let servers = try await cli.run(["abm", "servers"])
            #expect(servers.status == 0, "\(servers)")
            #expect(servers.standardOutput.hasPrefix("NAME"))
            #expect(servers.standardOutput.contains("\nCLI MDM "))
            let json = try await cli.run(["abm", "servers", "--json"])
            let listed = try #require(try JSONSerialization.jsonObject(with: json.output) as? [[String: Any]])
            #expect(listed.contains { ($0["attributes"] as? [String: Any])?["serverName"] as? String == "CLI MDM" })

            let serials = try await server.freeSerials(2)
            let assign = try await Self.runningTheClock(
                server, cli.start(["abm", "assign", "--server", "CLI MDM"] + serials + ["ZZUNKNOWN0001"]))
            #expect(assign.status != 0, "\(assign)")
            let lines = assign.standardOutput.split(separator: "\n").map(String.init)
            try #require(lines.count == 4, "\(assign)")
            #expect(lines.prefix(2).allSatisfy { $0.contains("  SUCCESS") })
            #expect(lines[2].hasPrefix("ZZUNKNOWN0001  FAILED  "))
            #expect(lines[3].hasSuffix("COMPLETED (COMPLETED_WITH_ERROR): 2 of 3 devices assigned; 1 failed."))

            let devices = try await cli.run(["abm", "devices"])
            #expect(devices.status == 0, "\(devices)")
            #expect(devices.standardOutput.hasPrefix("SERIAL"))
            #expect(devices.standardError.hasPrefix("Listed every device: "))
            let row = try #require(devices.standardOutput.split(separator: "\n").first { $0.hasPrefix(serials[0]) })
            #expect(row.contains("  ASSIGNED  "))

            try Data("serial_number\n\(serials[0])\n".utf8).write(to: cli.directory.appendingPathComponent("one.csv"))
            let unassign = try await Self.runningTheClock(
                server, cli.start(["abm", "unassign", "--server", "CLI MDM", "--csv", "one.csv"]))
            #expect(unassign.status == 0, "\(unassign)")
            #expect(unassign.standardOutput.hasSuffix("1 of 1 device unassigned; 0 failed.\n"))

            let refreshed = try await cli.run(["abm", "devices", "--refresh", "--json"])
            #expect(refreshed.status == 0, "\(refreshed)")
            #expect(refreshed.standardError.hasPrefix("Read "), "\(refreshed)")
            let objects = try #require(try JSONSerialization.jsonObject(with: refreshed.output) as? [[String: Any]])
            let device = try #require(objects.first { $0["serial_number"] as? String == serials[0] })
            #expect(device["status"] as? String == "UNASSIGNED")
            #expect((device["attributes"] as? [String: Any])?["serialNumber"] as? String == serials[0])

            // At once again, within the second the service last stated: still the audit log.
            let again = try await cli.run(["abm", "devices", "--refresh", "--csv"])
            #expect(again.status == 0, "\(again)")
            #expect(again.standardError.hasPrefix("Read "), "\(again)")
            #expect(again.standardOutput.contains("\r\n\(serials[0]),"))
        }
    }

    /// The outcome of `running`, the world's clock moving a second every tenth of one meanwhile:
    /// fakedep completes an activity after two seconds of it, and a test's clock stands still.
    private static func runningTheClock(_ server: TestServer, _ running: ChildProcess.Running) async throws
        -> ChildProcess.Outcome
    {
        let ticking = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(100))
                server.clock.advance(by: 1)
            }
        }
        defer { ticking.cancel() }
        return try await running.outcome()
    }

    @Test func aRefusedLoginSaysWhatTheTokenEndpointSaid() async throws {
        try await DEPSyncBinary.withServer { server, cli in
            let account = try await server.createAPIAccount(name: "CLI")
            try Data(account.privateKey.utf8).write(to: cli.directory.appendingPathComponent("abm.pem"))
            let refused = try await cli.run([
                "abm", "login", "--client-id", account.clientID, "--key-id", "not-the-key-id", "--key-file", "abm.pem",
            ])
            #expect(refused.status != 0)
            #expect(refused.standardError.split(separator: "\n").count == 1, "\(refused)")
            #expect(refused.standardError.contains("(401 invalid_client): The client assertion's kid"))

            let school = try await cli.run([
                "abm", "login", "--client-id", "NOTANAPI.1234", "--key-id", account.keyID, "--key-file", "abm.pem",
            ])
            #expect(school.status != 0)
            #expect(school.standardError.contains("starts with BUSINESSAPI. or SCHOOLAPI."))

            let notLoggedIn = try await cli.run(["abm", "servers"])
            #expect(notLoggedIn.status != 0)
            #expect(notLoggedIn.standardError.contains("run `depsync abm login"))
        }
    }
}
