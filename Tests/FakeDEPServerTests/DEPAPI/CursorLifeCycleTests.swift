import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Fetch, then sync, with sealed cursors (dep-api §3.2, §3.3, §4): paging, exhaustion, the
/// portal's changes replayed in order, limits, and the four cursor errors.
struct CursorLifeCycleTests {
    // MARK: Fetch

    @Test func aFetchReturnsEveryDeviceOnceInAssignmentOrder() async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll()
            // Five portal actions a minute apart, the later ones with the lower serials.
            let batches = try await server.freeSerials(250).chunked(into: 50).reversed()
            var assignedDates: [String: Date] = [:]
            for batch in batches {
                _ = try await server.world.assign(serials: batch, to: enrolled.name)
                for serial in batch { assignedDates[serial] = server.clock.now }
                server.clock.advance(by: 60)
            }
            let session = try await DEPSession(server, enrolled)

            let (pages, _) = try await session.fetchAll(limit: 100)
            #expect(pages.map { $0.devices?.count ?? 0 } == [100, 100, 50])
            #expect(pages.map(\.moreToFollow) == [true, true, false])
            #expect(Set(pages.map(\.cursor)).count == 3)
            let devices = pages.flatMap { $0.devices ?? [] }
            #expect(devices.map(\.serialNumber) == Array(batches.joined()))
            #expect(Set(devices.map(\.serialNumber)).count == 250)
            for device in devices {
                #expect(device.opType == nil && device.opDate == nil)
                #expect(device.profileStatus == .empty)
                #expect(device.deviceAssignedBy == "ade-admin@acme.example")
                #expect(device.deviceAssignedDate == assignedDates[device.serialNumber])
            }
            #expect(pages.allSatisfy { $0.fetchedUntil == server.clock.now })
        }
    }

    @Test func aFetchOfAServerWithoutDevicesIsOneEmptyPage() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let page = try await linked.session.fetchPage()
            #expect(page.devices == [])
            #expect(!page.moreToFollow)
            #expect(try await linked.session.fetch(cursor: page.cursor).answer == PlainAnswer(400, "EXHAUSTED_CURSOR"))
        }
    }

    @Test func theFinalFetchCursorIsExhaustedAndSyncContinuesFromIt() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 5)
            let final = try await linked.session.fetchAll(limit: 2).cursor
            #expect(try await linked.session.fetch(cursor: final).answer == PlainAnswer(400, "EXHAUSTED_CURSOR"))

            server.clock.advance(by: 30)
            let empty = try await linked.session.syncPage(cursor: final)
            #expect(empty.devices == [])
            #expect(!empty.moreToFollow)
            #expect(empty.cursor != final)
            #expect(empty.fetchedUntil == server.clock.now)
            // Every sync answers a new cursor, even with nothing to report.
            server.clock.advance(by: 1)
            let again = try await linked.session.syncPage(cursor: empty.cursor)
            #expect(again.devices == [])
            #expect(again.cursor != empty.cursor)
        }
    }

    @Test func aSyncCursorGivenToFetchIsExhausted() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 2)
            let final = try await linked.session.exhaustedCursor()
            let synced = try await linked.session.syncPage(cursor: final).cursor
            // nanodep keeps one cursor and starts in fetch mode: this is what sends it to sync.
            #expect(try await linked.session.fetch(cursor: synced).answer == PlainAnswer(400, "EXHAUSTED_CURSOR"))
        }
    }

    @Test func aCursorFromTheMiddleOfAFetchCanBeRepeated() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 5)
            let first = try await linked.session.fetchPage(limit: 2)
            let second = try await linked.session.fetchPage(cursor: first.cursor, limit: 2)
            let repeated = try await linked.session.fetchPage(cursor: first.cursor, limit: 2)
            #expect(second.devices == repeated.devices)
            #expect(second.devices?.map(\.serialNumber) == Array(linked.serials[2..<4]))
        }
    }

    // MARK: Sync

    @Test func portalChangesAppearInSyncInTheOrderTheyHappened() async throws {
        try await TestServer.with { server in
            let alpha = try await server.linkServer("Alpha MDM", devices: 3)
            let bravo = try await server.linkServer("Bravo MDM", devices: 2)
            let alphaCursor = try await alpha.session.exhaustedCursor()
            let bravoCursor = try await bravo.session.exhaustedCursor()
            let newcomer = try await server.freeSerials(1)[0]

            server.clock.advance(by: 10)
            let unassigned = server.clock.now
            _ = try await server.world.unassign(serials: [alpha.serials[0]])
            server.clock.advance(by: 10)
            let added = server.clock.now
            _ = try await server.world.assign(serials: [newcomer], to: alpha.name)
            server.clock.advance(by: 10)
            let moved = server.clock.now
            _ = try await server.world.assign(serials: [bravo.serials[0]], to: alpha.name)

            let response = try await alpha.session.sync(cursor: alphaCursor)
            let page = try DEPJSON.decode(FetchDeviceResponse.self, from: response.body)
            let devices = page.devices ?? []
            #expect(devices.map(\.serialNumber) == [alpha.serials[0], newcomer, bravo.serials[0]])
            #expect(devices.map(\.opType) == [.deleted, .added, .added])
            #expect(devices.map(\.opDate) == [unassigned, added, moved])
            #expect(page.fetchedUntil == moved)
            #expect(!page.moreToFollow)

            // A deleted entry is the minimal record; an added one is the whole device.
            let raw = try #require(try DEPSession.object(response)["devices"] as? [[String: Any]])
            #expect(Set(raw[0].keys) == ["serial_number", "op_type", "op_date"])
            for entry in devices.dropFirst() {
                #expect(entry.opDate == entry.deviceAssignedDate)
                #expect(entry.profileStatus == .empty)
                #expect(entry.model != nil && entry.description != nil && entry.os != nil)
                #expect(entry.deviceAssignedBy == "ade-admin@acme.example")
            }

            let bravoPage = try await bravo.session.syncPage(cursor: bravoCursor)
            #expect(bravoPage.devices?.map(\.serialNumber) == [bravo.serials[0]])
            #expect(bravoPage.devices?.map(\.opType) == [.deleted])
            #expect(bravoPage.devices?.map(\.opDate) == [moved])

            #expect(try await alpha.session.syncPage(cursor: page.cursor).devices == [])
            let now = try await alpha.session.fetchAll().pages.flatMap { $0.devices ?? [] }.map(\.serialNumber)
            #expect(now == Array(alpha.serials.dropFirst()) + [newcomer, bravo.serials[0]])
        }
    }

    @Test func changesDuringAFetchAreReplayedByTheSyncAfterIt() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 4)
            let first = try await linked.session.fetchPage(limit: 2)
            server.clock.advance(by: 10)
            _ = try await server.world.unassign(serials: [linked.serials[3]])
            let newcomer = try await server.freeSerials(1)[0]
            _ = try await server.world.assign(serials: [newcomer], to: linked.name)

            let rest = try await linked.session.fetchPage(cursor: first.cursor, limit: 2)
            #expect(rest.devices?.map(\.serialNumber) == [linked.serials[2], newcomer])
            #expect(!rest.moreToFollow)
            let sync = try await linked.session.syncPage(cursor: rest.cursor)
            #expect(sync.devices?.map(\.serialNumber) == [linked.serials[3], newcomer])
            #expect(sync.devices?.map(\.opType) == [.deleted, .added])
        }
    }

    @Test func aSyncPagesItsEventsByTheLimit() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let start = try await linked.session.exhaustedCursor()
            let serials = try await server.freeSerials(5)
            _ = try await server.world.assign(serials: serials, to: linked.name)

            var cursor = start
            var pages: [FetchDeviceResponse] = []
            repeat {
                pages.append(try await linked.session.syncPage(cursor: cursor, limit: 2))
                cursor = pages.last!.cursor
            } while pages.last!.moreToFollow
            #expect(pages.map { $0.devices?.count ?? 0 } == [2, 2, 1])
            #expect(pages.flatMap { $0.devices ?? [] }.map(\.serialNumber) == serials)
        }
    }

    // MARK: Limits

    @Test func aLimitOverAThousandIsClampedToAThousand() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let start = try await linked.session.exhaustedCursor()
            _ = try await server.world.assign(serials: try await server.freeSerials(1050), to: linked.name)

            let fetched = try await linked.session.fetchPage(limit: 5000)
            #expect(fetched.devices?.count == 1000)
            #expect(fetched.moreToFollow)
            #expect(try await linked.session.fetchPage(cursor: fetched.cursor, limit: 5000).devices?.count == 50)

            let synced = try await linked.session.syncPage(cursor: start, limit: 1001)
            #expect(synced.devices?.count == 1000)
            #expect(synced.moreToFollow)
            #expect(try await linked.session.syncPage(cursor: synced.cursor, limit: 5000).devices?.count == 50)
        }
    }

    @Test func theDefaultLimitIsAHundred() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let start = try await linked.session.exhaustedCursor()
            _ = try await server.world.assign(serials: try await server.freeSerials(150), to: linked.name)

            let fetched = try await linked.session.fetchPage()
            #expect(fetched.devices?.count == 100)
            #expect(fetched.moreToFollow)
            let synced = try await linked.session.syncPage(cursor: start)
            #expect(synced.devices?.count == 100)
            #expect(synced.moreToFollow)
        }
    }

    @Test(arguments: [0, -1, Int(Int32.min)])
    func aLimitBelowOneIsMalformed(limit: Int) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            let cursor = try await linked.session.exhaustedCursor()
            #expect(try await linked.session.fetch(limit: limit).answer == PlainAnswer(400, "MALFORMED_REQUEST_BODY"))
            #expect(
                try await linked.session.sync(cursor: cursor, limit: limit).answer
                    == PlainAnswer(400, "MALFORMED_REQUEST_BODY"))
        }
    }

    // MARK: Cursor errors

    @Test func syncWithoutACursorIsRefused() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            #expect(try await linked.session.sync(cursor: nil).answer == PlainAnswer(400, "CURSOR_REQUIRED"))
            #expect(try await linked.session.sync(cursor: "").answer == PlainAnswer(400, "CURSOR_REQUIRED"))
            #expect(
                try await linked.session.call("POST", "/devices/sync", json: #"{"limit":10}"#).answer
                    == PlainAnswer(400, "CURSOR_REQUIRED"))
            // No body at all is a sync without a cursor too, not a malformed body.
            #expect(
                try await linked.session.call("POST", "/devices/sync").answer == PlainAnswer(400, "CURSOR_REQUIRED"))
        }
    }

    @Test func aCursorWithOneCharacterChangedIsInvalid() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 3)
            let middle = try await linked.session.fetchPage(limit: 1).cursor
            let final = try await linked.session.exhaustedCursor()
            for cursor in [middle, final] {
                for position in [0, cursor.count / 2, cursor.count - 2] {
                    let tampered = cursor.replacingCharacter(at: position)
                    #expect(
                        try await linked.session.fetch(cursor: tampered).answer == PlainAnswer(400, "INVALID_CURSOR"),
                        "position \(position)")
                    #expect(
                        try await linked.session.sync(cursor: tampered).answer == PlainAnswer(400, "INVALID_CURSOR"),
                        "position \(position)")
                }
            }
        }
    }

    @Test(arguments: [
        "not a cursor", "MTAwOjA6MTc0NjMwNjExNTA1OToxNzQ2MzA2NDgyNTM2OnRydWU6MTc0NjMwNjExNTA1OQ", "MTY1NzI2ODE5Ny0x",
        String(repeating: "A", count: 1001),
    ])
    func aCursorTheServiceDidNotMakeIsInvalid(cursor: String) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            #expect(try await linked.session.fetch(cursor: cursor).answer == PlainAnswer(400, "INVALID_CURSOR"))
            #expect(try await linked.session.sync(cursor: cursor).answer == PlainAnswer(400, "INVALID_CURSOR"))
        }
    }

    @Test func anotherServersCursorIsInvalid() async throws {
        try await TestServer.with { server in
            let alpha = try await server.linkServer("Alpha MDM", devices: 3)
            let bravo = try await server.linkServer("Bravo MDM", devices: 3)
            let middle = try await alpha.session.fetchPage(limit: 1).cursor
            let final = try await alpha.session.exhaustedCursor()
            for cursor in [middle, final] {
                #expect(try await bravo.session.fetch(cursor: cursor).answer == PlainAnswer(400, "INVALID_CURSOR"))
                #expect(try await bravo.session.sync(cursor: cursor).answer == PlainAnswer(400, "INVALID_CURSOR"))
            }
        }
    }

    @Test func aCursorExpiresAfterSevenDays() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 3)
            let middle = try await linked.session.fetchPage(limit: 1).cursor
            let final = try await linked.session.exhaustedCursor()
            let synced = try await linked.session.syncPage(cursor: final).cursor

            server.clock.advance(by: 7 * 86_400)
            let week = try await DEPSession(server, linked.enrolled)
            #expect(try await week.fetch(cursor: middle, limit: 1).status == 200)
            #expect(try await week.sync(cursor: synced).status == 200)

            server.clock.advance(by: 86_400)
            let later = try await DEPSession(server, linked.enrolled)
            for cursor in [middle, final, synced] {
                #expect(try await later.fetch(cursor: cursor).answer == PlainAnswer(400, "EXPIRED_CURSOR"))
                #expect(try await later.sync(cursor: cursor).answer == PlainAnswer(400, "EXPIRED_CURSOR"))
            }
            // A client that starts over gets everything again.
            let restarted = try await later.fetchAll()
            #expect(restarted.pages.flatMap { $0.devices ?? [] }.map(\.serialNumber) == linked.serials)
        }
    }
}

extension Array {
    /// The elements in consecutive slices of `size` (the last one may be shorter).
    fileprivate func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}

extension String {
    /// The text with the character at `position` replaced by another base64url character.
    fileprivate func replacingCharacter(at position: Int) -> String {
        var characters = Array(self)
        characters[position] = characters[position] == "A" ? "B" : "A"
        return String(characters)
    }
}
