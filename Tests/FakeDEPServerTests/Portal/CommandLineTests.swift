import DEPCrypto
import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The `fakedep` command line's portal actions, run as the built binary against a test server.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct CommandLineTests {
    @Test func serverCreateListAndTokenTalkToThePortal() async throws {
        try await ScratchDirectory.with { directory in
            let key = try PrivateKey.generateRSA()
            let certificate = try Certificate.selfSigned(key: key, commonName: "cli-mdm", days: 1)
            try Data(try certificate.pem.utf8).write(to: directory.appendingPathComponent("cert.pem"))
            try await TestServer.with { server in
                let create = try await FakeDEPBinary.run(
                    ["server", "create", "CLI MDM", "--certificate", "cert.pem"], server: server, in: directory)
                #expect(create.status == 0, "\(create)")
                let summary = try await server.portalValue(MDMServerSummary.self, "GET", "/servers/CLI%20MDM")
                #expect(summary.certificateSubject == "cli-mdm")
                #expect(create.standardOutput.contains("\(summary.uuid)  CLI MDM  0 devices  key cli-mdm  no token"))

                let list = try await FakeDEPBinary.run(["server", "list"], server: server, in: directory)
                #expect(list.status == 0, "\(list)")
                #expect(list.standardOutput == create.standardOutput)

                let token = try await FakeDEPBinary.run(
                    ["server", "token", "CLI MDM", "-o", "my.p7m"], server: server, in: directory)
                #expect(token.status == 0, "\(token)")
                #expect(token.standardOutput == "Wrote the server token to my.p7m.\n")
                let file = try Data(contentsOf: directory.appendingPathComponent("my.p7m"))
                let tokens = try TokenMessage.parse(
                    Array(
                        try EnvelopedData.decrypt(
                            Data(try SMIMEEnvelope.unwrap(Array(file))), key: key, certificate: certificate)))
                let enrolled = EnrolledServer(name: "CLI MDM", uuid: summary.uuid, tokens: tokens)
                #expect(try await !enrolled.openSession(server).isEmpty)
            }
        }
    }

    /// A slow answer is waited for: the default is minutes, not URLSession's 60 s, which a busy
    /// machine making a large world can pass; `--timeout` shortens it and says so when it runs out.
    @Test func aSlowAnswerIsAwaitedUnlessTheTimeoutIsShorter() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let rule = #"{"operation":"portal_list_servers","latency":{"ms":2500}}"#
                #expect(try await server.send("POST", "/_fakedep/worlds/default/faults", json: rule).status == 201)
                let impatient = try await FakeDEPBinary.run(
                    ["server", "list", "--timeout", "1"], server: server, in: directory)
                #expect(impatient.status == 1, "\(impatient)")
                #expect(impatient.standardError.contains("did not answer within 1 s; wait longer with --timeout."))
                let patient = try await FakeDEPBinary.run(["server", "list"], server: server, in: directory)
                #expect(patient.status == 0, "\(patient)")
            }
        }
    }

    @Test func aServersDefaultFamiliesAreSetShownAndRefusedFromTheCommandLine() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                _ = try await server.world.createServer(name: "Default MDM")
                let set = try await FakeDEPBinary.run(
                    ["server", "defaults", "Default MDM", "--families", "MAC, IPHONE"], server: server, in: directory)
                #expect(set.status == 0, "\(set)")
                #expect(set.standardOutput == "Default MDM is the default server of IPHONE, MAC.\n")
                let shown = try await FakeDEPBinary.run(
                    ["server", "defaults", "Default MDM"], server: server, in: directory)
                #expect(shown.standardOutput == set.standardOutput)
                let refused = try await FakeDEPBinary.run(
                    ["server", "defaults", "Default MDM", "--families", "TOASTER"], server: server, in: directory)
                #expect(refused.status == 1)
                #expect(refused.standardError.contains(#""TOASTER" is not a product family"#))
                let cleared = try await FakeDEPBinary.run(
                    ["server", "defaults", "Default MDM", "--families", ""], server: server, in: directory)
                #expect(cleared.standardOutput == "Default MDM is no family's default server.\n")
            }
        }
    }

    @Test func serverListPrintsControlCharactersEscaped() async throws {
        try await ScratchDirectory.with { directory in
            // Names with control characters are refused; an uploaded certificate's subject is not
            // ours to choose, so it is what could reach the terminal.
            let certificate = try Certificate.selfSigned(
                key: try PrivateKey.generateRSA(), commonName: "x\u{1B}[2Jy", days: 1)
            try await TestServer.with { server in
                _ = try await server.world.createServer(name: "Escaped MDM", certificate: try certificate.der)
                let list = try await FakeDEPBinary.run(["server", "list"], server: server, in: directory)
                #expect(list.status == 0, "\(list)")
                #expect(!list.standardOutput.contains("\u{1B}"))
                #expect(list.standardOutput.contains(#"key x\e[2Jy"#))
            }
        }
    }

    @Test func theCSVReportPrintsEchoedTextEscaped() async throws {
        try await ScratchDirectory.with { directory in
            try Data("serial\n\"\u{1B}]0;owned\u{7}\"\n".utf8).write(to: directory.appendingPathComponent("a.csv"))
            try await TestServer.with { server in
                try await server.createPortalServer("Alpha")
                let assign = try await FakeDEPBinary.run(
                    ["assign", "--server", "Alpha", "--csv", "a.csv"], server: server, in: directory)
                #expect(assign.status == 0, "\(assign)")
                #expect(!assign.standardOutput.contains("\u{1B}"))
                #expect(assign.standardOutput.contains(#"\e]0;owned\u{7}"#))
            }
        }
    }

    @Test func aTokenWithoutAnOutputTakesThePortalsFileName() async throws {
        try await ScratchDirectory.with { directory in
            let certificate = try Certificate.selfSigned(key: try PrivateKey.generateRSA(), commonName: "x", days: 1)
            try await TestServer.with { server in
                _ = try await server.world.createServer(name: "Named MDM", certificate: try certificate.der)
                let token = try await FakeDEPBinary.run(
                    ["server", "token", "Named MDM"], server: server, in: directory)
                #expect(token.status == 0, "\(token)")
                let name = "Named MDM_Token_2026-05-28T20-26-40Z_smime.p7m"
                #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path))
            }
        }
    }

    @Test func aServerNameWithQuotesAndAccentsNamesItsTokenFileExactly() async throws {
        try await ScratchDirectory.with { directory in
            let certificate = try Certificate.selfSigned(key: try PrivateKey.generateRSA(), commonName: "x", days: 1)
            try await TestServer.with { server in
                let serverName = #"Zürich "West" MDM"#
                _ = try await server.world.createServer(name: serverName, certificate: try certificate.der)
                let token = try await FakeDEPBinary.run(["server", "token", serverName], server: server, in: directory)
                #expect(token.status == 0, "\(token)")
                let name = serverName + "_Token_2026-05-28T20-26-40Z_smime.p7m"
                #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path))
            }
        }
    }

    @Test func assignByCSVThenListTheServersDevices() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let serials = try await server.portalSerials()
                try await server.createPortalServer("CLI MDM")
                let csv = [
                    "serial_number,note", "\(serials[0]),one", "\"\(serials[1])\",\"two, quoted\"",
                    "\"AB,CD\",a comma in a bad serial", "NOTAREALSERIAL1,unknown", "",
                ].joined(separator: "\n")
                try Data(csv.utf8).write(to: directory.appendingPathComponent("devices.csv"))

                let assign = try await FakeDEPBinary.run(
                    ["assign", "--server", "CLI MDM", "--csv", "devices.csv", "--report", "report.csv"],
                    server: server, in: directory)
                #expect(assign.status == 0, "\(assign)")
                let output = assign.standardOutput.split(separator: "\n").map(String.init)
                #expect(output.first == "assigned: 2, malformed: 1, unknown_serial: 1")
                #expect(output.contains { $0.hasPrefix("  line 4 AB,CD: malformed") })
                #expect(output.contains { $0.hasPrefix("  line 5 NOTAREALSERIAL1: unknown_serial") })
                #expect(output.last == "The per-line report is in report.csv.")
                let report = try String(contentsOf: directory.appendingPathComponent("report.csv"), encoding: .utf8)
                #expect(report.hasPrefix("serial_number,line,outcome,detail\r\n\(serials[0]),2,assigned,\r\n"))

                let devices = try await FakeDEPBinary.run(
                    ["devices", "--server", "CLI MDM"], server: server, in: directory)
                #expect(devices.status == 0, "\(devices)")
                let rows = devices.standardOutput.split(separator: "\n").map {
                    $0.split(separator: "\t").map(String.init)
                }
                #expect(rows.map { $0.first ?? "" } == [serials[0], serials[1]])
                #expect(rows.allSatisfy { $0.count == 7 && $0[4] == "assigned" && $0[5] == "CLI MDM" })
            }
        }
    }

    @Test(arguments: [
        ["devices", "--server", "Nobody"], ["server", "show", "Nobody"], ["server", "token", "Nobody"],
        ["assign", "--server", "Nobody", "--serial", "C02XK1JDJGH5"], ["server", "delete", "Nobody"],
    ])
    func anUnknownServerFailsWithThePortalsMessage(arguments: [String]) async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let run = try await FakeDEPBinary.run(arguments, server: server, in: directory)
                #expect(run.status != 0)
                #expect(run.standardOutput.isEmpty)
                let lines = run.standardError.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines.count == 2 && lines.last == "", "one line on stderr: \(run.standardError)")
                #expect(
                    lines.first
                        == #"Error: No MDM server is named or numbered "Nobody"; list them with `fakedep server list`."#
                )
            }
        }
    }
}

/// The `fakedep` executable `swift build` put next to the tests.
enum FakeDEPBinary {
    /// The binary, if it is built.
    static let url = BuiltBinary.url("fakedep")

    /// Runs `fakedep` with `arguments` and `--url` pointing at `server`.
    static func run(_ arguments: [String], server: TestServer, in directory: URL) async throws -> ChildProcess.Outcome {
        guard let url else { throw Missing() }
        return try await ChildProcess.run(url, arguments + ["--url", server.baseURL], in: directory)
    }

    /// The binary is not built.
    struct Missing: Error, CustomStringConvertible {
        var description: String { "the fakedep binary is not built; run `swift build` first" }
    }
}
