import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import Foundation
import GRDB
import Testing

@testable import FakeDEPServer

/// Fetch and sync pages hold to golden bytes at every protocol version: the page writer may
/// change how it writes, never what (issue #13).
///
/// The world is built the same way every run: a seeded inventory, one server with devices
/// assigned at two times, a profile, an asset tag and identifiers that need JSON escaping or
/// arrays, and after the fetch a sync with `added`, `modified` and `deleted` entries (one
/// `deleted` from a replacement) and a device in a cooldown. Each version's pages are kept in
/// `Fixtures/Golden/vNN-fetch.jsonl` and `vNN-sync.jsonl`, one body a line, as served.
///
/// Two values differ from run to run and are rewritten before the comparison, nothing else:
/// the world's cursor key is random (`World.secret`), so each `"cursor"` value is opened with it
/// and sealed again with a fixed key of 32 zero bytes (its fields and format stay pinned); the
/// profile uuid is random (`World.makeServerUUID`), so that exact text is replaced by
/// `GOLDENPROFILEUUID`.
///
/// To write the files again from the current code, run
/// `FAKEDEP_WRITE_GOLDEN=1 swift test --filter FetchPageGoldenTests`, and review the diff.
struct FetchPageGoldenTests {
    static let directory = Repository.url("Tests/FakeDEPServerTests/Fixtures/Golden")
    static let goldenKey = [UInt8](repeating: 0, count: 32)
    static let profilePlaceholder = "GOLDENPROFILEUUID"

    @Test func fetchAndSyncPagesAreByteForByteTheGoldenOnesAtEveryVersion() async throws {
        try await TestServer.with(seed: false) { server in
            let world = server.world
            _ = try await world.seed(deviceCount: 60, seed: 13_013)
            let free = try await server.freeSerials(60)
            #expect(free.count == 60)

            // Assigned in two batches a minute apart, so the keyset walks two dates.
            let linked = try await server.linkServer("Golden MDM", version: 10)
            _ = try await world.assign(serials: Array(free[0..<20]), to: linked.name)
            server.clock.advance(by: 60)
            _ = try await world.assign(serials: Array(free[20..<36]), to: linked.name)
            try await Self.setTrickyFields(of: free, in: world)
            server.clock.advance(by: 60)
            let define = try await linked.session.defineProfile(
                #"{"profile_name":"Golden","url":"https://mdm.example/enroll","devices":["\#(free[1])","\#(free[5])","\#(free[22])"]}"#
            )
            let profile = define.profileUUID
            _ = try await world.setMigrationDeadline(free[3], to: TestServer.start.addingTimeInterval(90 * 86_400))

            // The client's snapshot ends here; what follows is for sync (the session idles under 180 s).
            server.clock.advance(by: 90)
            let syncStart = try await linked.session.exhaustedCursor()
            server.clock.advance(by: 60)
            _ = try await world.unassign(serials: [free[2], free[21]])
            _ = try await world.assign(serials: Array(free[36..<40]), to: linked.name)
            _ = try await linked.session.call(
                "PUT", "/profile/devices",
                json: #"{"profile_uuid":"\#(profile)","devices":["\#(free[7])","\#(free[37])"]}"#)
            _ = try await world.replaceDevice(free[8], with: "GOLDENREPL01")
            _ = try await world.setMigrationDeadline(free[9], to: TestServer.start.addingTimeInterval(30 * 86_400))
            _ = try await world.startCooldown(free[10], for: 86_400)
            _ = try await world.startCooldown(free[38], for: 86_400)
            server.clock.advance(by: 60)

            for number in 1...ProtocolVersion.newest.number {
                let session = try await DEPSession(server, linked.enrolled, version: number)
                var fetch: [String] = []
                var cursor: String?
                repeat {
                    let response = try await session.fetch(cursor: cursor, limit: 7)
                    #expect(response.status == 200)
                    fetch.append(try Self.stable(response.body, world: world, profile: profile))
                    let page = try DEPJSON.decode(FetchDeviceResponse.self, from: response.body)
                    cursor = page.moreToFollow ? page.cursor : nil
                } while cursor != nil
                var sync: [String] = []
                cursor = syncStart
                repeat {
                    let response = try await session.sync(cursor: cursor, limit: 5)
                    #expect(response.status == 200)
                    sync.append(try Self.stable(response.body, world: world, profile: profile))
                    let page = try DEPJSON.decode(FetchDeviceResponse.self, from: response.body)
                    cursor = page.moreToFollow ? page.cursor : nil
                } while cursor != nil
                #expect(fetch.count >= 5)
                #expect(sync.count >= 3)
                try Self.check(fetch, against: String(format: "v%02d-fetch.jsonl", number))
                try Self.check(sync, against: String(format: "v%02d-sync.jsonl", number))
            }
        }
    }

    /// Gives some devices values the generator does not make: an asset tag that JSON must
    /// escape, two IMEIs and two Wi-Fi addresses (arrays), a colour absent.
    private static func setTrickyFields(of serials: [String], in world: World) async throws {
        let tag = "Tag \"7\" \\ a/b\tc\nd\r\u{1}\u{1F} é 🍏"
        try await world.store.write { db in
            try db.execute(
                sql: "UPDATE devices SET asset_tag = ? WHERE serial = ?", arguments: [tag, serials[4]])
            try db.execute(
                sql: "UPDATE devices SET asset_tag = ?, color = NULL WHERE serial = ?",
                arguments: ["plain", serials[23]])
            try db.execute(
                sql: "UPDATE devices SET imei = ?, wifi_mac = ? WHERE serial = ?",
                arguments: ["356789012345678,356789012345679", "AA:BB:CC:00:11:22,AA:BB:CC:00:11:23", serials[6]])
        }
    }

    /// `body` as text with the cursor sealed again under the fixed key and the profile uuid
    /// replaced (see the type's comment); every other byte as served.
    private static func stable(_ body: Data, world: World, profile: String) throws -> String {
        var text = String(decoding: body, as: UTF8.self)
        let marker = #""cursor":""#
        let start = try #require(text.range(of: marker)).upperBound
        let end = try #require(text[start...].firstIndex(of: "\""))
        let cursor = try #require(DeviceCursor(sealed: String(text[start..<end]), key: world.cursorKey))
        text.replaceSubrange(start..<end, with: cursor.sealed(with: goldenKey))
        return text.replacingOccurrences(of: profile, with: profilePlaceholder)
    }

    /// Compares `pages` with the golden file `name`, or writes it when `FAKEDEP_WRITE_GOLDEN=1`.
    private static func check(_ pages: [String], against name: String) throws {
        let file = directory.appendingPathComponent(name)
        let actual = pages.map { $0 + "\n" }.joined()
        if ProcessInfo.processInfo.environment["FAKEDEP_WRITE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: file)
            return
        }
        let golden = try String(decoding: Data(contentsOf: file), as: UTF8.self)
        guard golden != actual else { return }
        let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let line =
            zip(goldenLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(goldenLines.count, actualLines.count)
        let expected = line < goldenLines.count ? String(goldenLines[line]) : "(no line)"
        let got = line < actualLines.count ? String(actualLines[line]) : "(no line)"
        Issue.record("\(name) differs at page \(line + 1):\n golden: \(expected)\n served: \(got)")
    }
}
