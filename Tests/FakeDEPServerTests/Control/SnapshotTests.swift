import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import Foundation
import Testing

@testable import FakeDEPServer

/// World snapshots: a world saved to one file (`GET …/snapshot`) and loaded into a new world
/// (`POST /_fakedep/worlds` with the file), state and clock alike, with a checked format.
struct SnapshotTests {
    @Test func aWorldLoadedFromASnapshotIsTheWorldAsItWasWhenTaken() async throws {
        try await TestServer.with { server in
            let id = try await WorldTests.createWorld(server, seed: #"{"devices":20,"seed":4}"#)
            let world = server.inWorld(id)
            let enrolled = try await EnrolledServer.makeThroughPortal(world, name: "Snap MDM")
            let serials = try await world.portalSerials()
            _ = try await world.assign(Array(serials.prefix(6)), to: "Snap MDM")
            _ = try await server.send("POST", "/_fakedep/worlds/\(id)/clock/freeze")
            _ = try await server.send("POST", "/_fakedep/worlds/\(id)/clock/advance", json: #"{"by":"P2D"}"#)
            let page = try await DEPSession(server, enrolled).decode(
                FetchDeviceResponse.self, "POST", "/server/devices", json: #"{"limit":2}"#)
            let clockThen = try await server.send("GET", "/_fakedep/worlds/\(id)/clock").body

            let snapshot = try await Self.snapshot(server, id)
            _ = try await world.assign(Array(serials.suffix(4)), to: "Snap MDM")
            try await world.createPortalServer("Made Later")
            _ = try await server.send("POST", "/_fakedep/worlds/\(id)/clock/advance", json: #"{"by":"P1D"}"#)
            // Its token is live in this world; a token belongs to one world, so drop this one first.
            #expect(try await server.send("DELETE", "/_fakedep/worlds/\(id)").status == 204)

            let loaded = try await Self.load(server, snapshot)
            #expect(loaded.status == 201)
            let summary = try DEPJSON.decode(WorldSummary.self, from: loaded.body)
            #expect(summary.seed == .snapshot)
            #expect(summary.id != id)
            let copy = server.inWorld(summary.id)
            #expect(try await copy.portalValue([MDMServerSummary].self, "GET", "/servers").map(\.name) == ["Snap MDM"])
            #expect(try await copy.portalSerials() == serials)
            #expect(try await copy.portalSerials("server=Snap%20MDM") == Array(serials.prefix(6)).sorted())
            #expect(try await server.send("GET", "/_fakedep/worlds/\(summary.id)/clock").body == clockThen)
            // The MDM's token opens a session in the new world, and its cursor goes on from where it was.
            let rest = try await DEPSession(server, enrolled).decode(
                FetchDeviceResponse.self, "POST", "/server/devices", json: #"{"cursor":"\#(page.cursor)"}"#)
            #expect((page.devices ?? []).count + (rest.devices ?? []).count == 6)
            // Saved again, it is the same file but for when and from which world it was taken.
            let again = try await Self.snapshot(server, summary.id)
            #expect(Self.body(of: again) == Self.body(of: snapshot))
        }
    }

    @Test func aSnapshotWhoseTokenIsLiveElsewhereIsRefusedUnlessItsTokensAreDropped() async throws {
        try await TestServer.with { server in
            let id = try await WorldTests.createWorld(server, seed: #""empty""#)
            let enrolled = try await EnrolledServer.makeThroughPortal(server.inWorld(id), name: "Live MDM")
            let snapshot = try await Self.snapshot(server, id)

            let refused = try PortalProblem(try await Self.load(server, snapshot))
            #expect(refused.status == 409)
            #expect(refused.error == "CONFLICT")
            #expect(refused.message.contains(id))
            #expect(try await Self.worldIDs(server) == ["default", id])

            let loaded = try await Self.load(server, snapshot, query: "?tokens=drop&name=Copy")
            #expect(loaded.status == 201)
            let copy = try DEPJSON.decode(WorldSummary.self, from: loaded.body)
            #expect(copy.name == "Copy")
            let servers = try await server.inWorld(copy.id).portalValue([MDMServerSummary].self, "GET", "/servers")
            #expect(servers.map(\.name) == ["Live MDM"])
            #expect(servers.map(\.tokenIssued) == [nil])
            // The token still opens its own world only.
            let session = try await DEPSession(server, enrolled)
            #expect(try await session.call("GET", "/account").status == 200)
            #expect(
                try await server.send("GET", "/_fakedep/worlds/\(id)/journal/count?operation=session").text
                    .contains(#""count":1"#))

            // Reset, the copy is the snapshot again, tokens still dropped.
            try await server.inWorld(copy.id).createPortalServer("Extra")
            #expect(try await server.send("POST", "/_fakedep/worlds/\(copy.id)/reset").status == 200)
            let afterReset = try await server.inWorld(copy.id).portalValue([MDMServerSummary].self, "GET", "/servers")
            #expect(afterReset.map(\.name) == ["Live MDM"])
            #expect(afterReset.map(\.tokenIssued) == [nil])
        }
    }

    /// `tokens` says what becomes of a snapshot's tokens; a mistyped one is refused with any body,
    /// rather than quietly ignored when the body is JSON.
    @Test func aMistypedTokensChoiceIsRefusedWhateverTheBody() async throws {
        try await TestServer.with { server in
            let before = try await Self.worldIDs(server)
            let answer = try await server.send("POST", "/_fakedep/worlds?tokens=maybe", json: "{}")
            #expect(answer.status == 400)
            #expect(answer.text.contains("INVALID_REQUEST"))
            #expect(try await Self.worldIDs(server) == before)
        }
    }

    @Test func aSnapshotSentAsAnyFileIsStillRecognisedByItsFirstLine() async throws {
        try await TestServer.with { server in
            let id = try await WorldTests.createWorld(server, seed: #"{"devices":3}"#)
            let snapshot = try await Self.snapshot(server, id)
            let loaded = try await server.http.send(
                HTTPRequest(
                    method: "POST", url: server.baseURL + "/_fakedep/worlds",
                    headers: [("Content-Type", "application/octet-stream")], body: snapshot))
            #expect(loaded.status == 201)
            let copy = try DEPJSON.decode(WorldSummary.self, from: loaded.body)
            #expect(try await server.inWorld(copy.id).portalSerials().count == 3)
        }
    }

    @Test(arguments: BadSnapshot.allCases)
    func aBadSnapshotIsRefusedAndNoWorldIsMade(bad: BadSnapshot) async throws {
        try await TestServer.with { server in
            let id = try await WorldTests.createWorld(server, seed: #"{"devices":5}"#)
            let snapshot = try await Self.snapshot(server, id)
            let refused = try PortalProblem(try await Self.load(server, bad.apply(to: snapshot), query: bad.query))
            #expect(refused.status == 400, "\(refused)")
            #expect(refused.error == bad.code, "\(refused)")
            #expect(refused.message.contains(bad.says), "\(refused)")
            #expect(try await Self.worldIDs(server) == ["default", id])
        }
    }

    @Test func anUnknownWorldHasNoSnapshot() async throws {
        try await TestServer.with { server in
            let problem = try PortalProblem(try await server.send("GET", "/_fakedep/worlds/wnothere/snapshot"))
            #expect(problem.status == 404)
            #expect(problem.error == "NOT_FOUND")
        }
    }

    @Test func aKeptWorldFromASnapshotResetsToItAfterARestart() async throws {
        try await ScratchDirectory.with { directory in
            let first = WorldRegistry(defaultWorld: try await World(databasePath: ":memory:"), directory: directory)
            let source = try await first.create(name: "source", seed: .generated(devices: 4, seed: 3))
            let file = try UploadFile.create()
            let handle = try FileHandle(forWritingTo: file.url)
            try await first.writeSnapshot(of: source.id, to: handle)
            try handle.close()
            let made = try await first.create(name: nil, snapshot: file, tokens: .keep)
            #expect(made.name == "source")

            let second = WorldRegistry(defaultWorld: try await World(databasePath: ":memory:"), directory: directory)
            #expect(try await second.reopenKeptWorlds() == 2)
            _ = try await second.world(made.id).createServer(name: "After")
            _ = try await second.reset(made.id)
            #expect(try await second.world(made.id).listServers().isEmpty)
            #expect(try await second.world(made.id).listDevices(DeviceFilter()).devices.count == 4)

            try second.delete(made.id)
            try second.delete(source.id)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }

    /// World `id`'s snapshot.
    static func snapshot(_ server: TestServer, _ id: String) async throws -> Data {
        let response = try await server.send("GET", "/_fakedep/worlds/\(id)/snapshot")
        guard response.status == 200 else { throw PortalCallFailure(response: response, expected: "a snapshot") }
        #expect(response.headers.first { $0.name.lowercased() == "content-type" }?.value == "application/x-ndjson")
        return response.body
    }

    /// Sends `snapshot` to make a world.
    static func load(_ server: TestServer, _ snapshot: Data, query: String = "") async throws -> HTTPResponse {
        try await server.http.send(
            HTTPRequest(
                method: "POST", url: server.baseURL + "/_fakedep/worlds" + query,
                headers: [("Content-Type", "application/x-ndjson")], body: snapshot))
    }

    static func worldIDs(_ server: TestServer) async throws -> [String] {
        try DEPJSON.decode([WorldSummary].self, from: try await server.send("GET", "/_fakedep/worlds").body).map(\.id)
    }

    /// The snapshot without its header line.
    static func body(of snapshot: Data) -> Data {
        snapshot.drop { $0 != 0x0A }
    }
}

/// Snapshots a fakedep must refuse, made from a good one.
enum BadSnapshot: CaseIterable, CustomTestStringConvertible {
    case otherVersion, noVersion, notASnapshot, cutBeforeTheEnd, cutMidLine, wrongRowCount, unknownTable
    case tableOutOfOrder, rowTooShort, textAfterTheEnd, notJSON, wrongColumns, orphanDevice, badTokensChoice

    var testDescription: String { "\(self)" }

    var code: String { self == .badTokensChoice ? "INVALID_REQUEST" : "INVALID_SNAPSHOT" }

    var query: String { self == .badTokensChoice ? "?tokens=some" : "" }

    /// What the refusal's message says.
    var says: String {
        switch self {
        case .otherVersion: "version 99"
        case .noVersion: "no version"
        case .notASnapshot: "not a fakedep world snapshot"
        case .cutBeforeTheEnd, .cutMidLine: "cut short"
        case .wrongRowCount: "rows"
        case .unknownTable: "which a world has not"
        case .tableOutOfOrder: "out of order"
        case .rowTooShort: "values"
        case .textAfterTheEnd: "follows the end line"
        case .notJSON: "is not JSON"
        case .wrongColumns: "columns"
        case .orphanDevice: "does not fit table devices"
        case .badTokensChoice: "keep"
        }
    }

    func apply(to snapshot: Data) -> Data {
        var lines = String(decoding: snapshot, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        if lines.last == "" { lines.removeLast() }
        let devices = lines.firstIndex { $0.hasPrefix(#"{"table":"devices""#) }!
        switch self {
        case .otherVersion: lines[0] = lines[0].replacingOccurrences(of: #""version":2"#, with: #""version":99"#)
        case .noVersion: lines[0] = lines[0].replacingOccurrences(of: #""version":2,"#, with: "")
        case .notASnapshot: lines[0] = #"{"format":"something-else","version":1}"#
        case .cutBeforeTheEnd: lines.removeLast()
        case .cutMidLine:
            lines.removeLast()
            lines[lines.count - 1] = String(lines[lines.count - 1].prefix(9))
            return Data(lines.joined(separator: "\n").utf8)
        case .wrongRowCount: lines[lines.count - 1] = #"{"end":{"rows":1}}"#
        case .unknownTable: lines.insert(#"{"table":"secrets","columns":["a"]}"#, at: 1)
        case .tableOutOfOrder:
            lines.insert(#"{"table":"orders","columns":["number","date","source"]}"#, at: lines.count - 1)
        case .rowTooShort: lines[devices + 1] = "[1,2]"
        case .textAfterTheEnd: lines.append("[1]")
        case .notJSON: lines[devices + 1] = "serial,model"
        case .wrongColumns: lines[devices] = lines[devices].replacingOccurrences(of: #""model""#, with: #""modle""#)
        case .orphanDevice:
            // A device of an order the snapshot does not have.
            let order = lines.firstIndex { $0.hasPrefix(#"{"table":"orders""#) }!
            lines.remove(at: order + 1)
            lines[lines.count - 1] = #"{"end":{"rows":0}}"#
        case .badTokensChoice: break
        }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }
}
