import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import FakeDEPTesting
import Foundation
import Testing

/// Uploads are bounded in bytes and lines, and neither an upload nor its report is held in
/// memory: what a hostile or careless upload costs the server stays flat.
struct UploadLimitTests {
    @Test func aCSVUploadOverTheByteLimitIsRefusedAndAssignsNothing() async throws {
        try await TestServer.with(http: .patient { $0.maximumUploadSize = 64 << 10 }) { server in
            try await server.createPortalServer("Target")
            let serial = try #require(try await server.freeSerials(1).first)
            let upload = Data((serial + "\r\n" + String(repeating: "NOTAREALSERIAL1\r\n", count: 5_000)).utf8)
            let response = try await server.portal(
                "POST", "/servers/Target/devices/csv", body: upload, contentType: "text/csv")
            let problem = try PortalProblem(response)
            #expect(problem.status == 413)
            #expect(problem.error == "TOO_LARGE")
            #expect(try await server.portalSerials("server=Target").isEmpty)
        }
    }

    @Test func aLongReportStreamsInTheSameShapeAsAShortOne() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Target")
            let serials = try await server.freeSerials(3)
            let unknown = (0..<30_000).map { "UNKNOWN\(String($0).leftPadded(to: 6))" }
            let report = try await server.portalValue(
                PortalReport.self, "POST", "/servers/Target/devices",
                json: #"{"serials":\#(try DEPJSON.encodeString(serials + unknown))}"#)
            #expect(report.counts == ["assigned": 3, "unknown_serial": 30_000])
            #expect(report.lines.count == 30_003)
            #expect(report.lines.map(\.line) == Array(1...30_003))
            #expect(report.lines[3].serial == "UNKNOWN000000")
            #expect(report.lines[3].detail == "no device of the organisation has this serial number")
            #expect(report.lines[0].detail == nil)
            #expect(try await server.portalSerials("server=Target") == serials.sorted())
        }
    }

    @Test func anOrderAssignmentReportsEachDeviceOnce() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Target")
            let order = try #require(try await server.world.listOrders().first)
            let report = try await server.portalValue(
                PortalReport.self, "POST", "/servers/Target/devices", json: #"{"order":"\#(order.number)","count":2}"#)
            #expect(report.outcomes == ["assigned", "assigned"])
            #expect(report.lines.map(\.serial) == report.lines.map(\.serial).sorted())
            #expect(try await server.portalSerials("server=Target") == report.lines.map(\.serial))
        }
    }
}

/// The server's own memory under large uploads, measured on the built binary (its peak resident
/// size, `VmHWM`), so that nothing else in the test process is counted.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct UploadMemoryTests {
    @Test func aLargeUploadOfBadCellsAndALongSerialListKeepTheServersMemoryFlat() async throws {
        try await ScratchDirectory.with { directory in
            let port = try FreePort.pick()
            let url = "http://127.0.0.1:\(port)"
            let binary = try #require(FakeDEPBinary.url)
            let database = directory.appendingPathComponent("fakedep.sqlite").path
            let serving = try ChildProcess.start(
                binary, ["serve", "--db", database, "--port", String(port), "--log-level", "warning"], in: directory)
            defer { serving.send(SIGKILL) }
            // The reports are long: read them whole, past the agent's cap for Apple's answers.
            var options = TransportOptions()
            options.maximumResponseSize = 1 << 30
            // A debug build takes 30 s for both alone, and several times that beside the rest of
            // the suite on two cores: the measure here is memory, not time.
            options.totalTimeout = 900
            let http = HTTPClient(userAgent: "fakedep-tests/1.0", options: options)
            try await SeedTransactionTests.waitUntilServing(url, http: http)
            _ = try await http.send(
                HTTPRequest(
                    method: "POST", url: url + "/portal/servers", headers: [("Content-Type", "application/json")],
                    body: Data(#"{"name":"Target"}"#.utf8)))
            let baseline = try Self.peakResidentBytes(of: serving.processIdentifier)

            // 20 MB of cells that are no serials, and 300,000 unknown serials as JSON.
            let badCells = Data(String(repeating: "not a serial,=x\r\n", count: 1_200_000).utf8)
            let csv = try await http.send(
                HTTPRequest(
                    method: "POST", url: url + "/portal/servers/Target/devices/csv",
                    headers: [("Content-Type", "text/csv")], body: badCells))
            #expect(csv.status == 200)
            let serials = (0..<300_000).map { "UNKNOWN\(String($0).leftPadded(to: 6))" }
            let list = try await http.send(
                HTTPRequest(
                    method: "POST", url: url + "/portal/servers/Target/devices",
                    headers: [("Content-Type", "application/json")],
                    body: Data(#"{"serials":\#(try DEPJSON.encodeString(serials))}"#.utf8)))
            #expect(list.status == 200)

            let growth = try Self.peakResidentBytes(of: serving.processIdentifier) - baseline
            // The uploads and their reports are 20 MB and 30 MB; held in memory they cost ten times
            // that. Streamed, the growth is 100–130 MB (allocator arenas and SQLite's caches).
            #expect(growth < 160 << 20, "fakedep grew by \(growth >> 20) MB")
        }
    }

    /// `VmHWM` of a process, from `/proc`.
    static func peakResidentBytes(of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        let kilobytes = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kilobytes << 10
    }
}

extension String {
    /// The text with zeros in front, `width` characters at least.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
