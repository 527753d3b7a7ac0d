import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `PUT /portal/devices/{serial}/migration-deadline`: the deadline the device record carries as
/// `mdm_migration_deadline` from protocol v8 (dep-api §2.7, §3.10), and the sync that reports it.
struct MigrationDeadlineTests {
    static let deadline = DEPDate.parse("2027-01-31T00:00:00Z")!

    @Test func aDeadlineShowsFromVersionEightAndItsServerSyncsIt() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Migrating MDM", devices: 1)
            let serial = linked.serials[0]
            let cursor = try await linked.session.exhaustedCursor()
            server.clock.advance(by: 60)

            let answer = try await server.setMigrationDeadline(serial, #""2027-01-31T00:00:00Z""#)
            #expect(answer.serialNumber == serial && answer.migrationDeadline == Self.deadline)

            let events = try await linked.session.syncPage(cursor: cursor).devices ?? []
            #expect(events.map(\.serialNumber) == [serial])
            #expect(events.first?.opType == .modified)
            #expect(events.first?.opDate == server.clock.now)
            #expect(events.first?.mdmMigrationDeadline == Self.deadline)

            #expect(try await linked.session.device(serial).mdmMigrationDeadline == Self.deadline)
            let fetched = try await linked.session.fetchPage().devices ?? []
            #expect(fetched.first { $0.serialNumber == serial }?.mdmMigrationDeadline == Self.deadline)
            let eight = try await DEPSession(server, linked.enrolled, version: 8)
            #expect(try await eight.device(serial).mdmMigrationDeadline == Self.deadline)
            let seven = try await DEPSession(server, linked.enrolled, version: 7)
            let record = try await seven.call("POST", "/devices", json: #"{"devices":["\#(serial)"]}"#)
            #expect(record.status == 200)
            #expect(!record.text.contains("mdm_migration_deadline"))
            #expect(try await seven.device(serial).mdmMigrationDeadline == nil)
        }
    }

    @Test func aDeadlineIsKeptInWholeSecondsAndADayIsMidnight() async throws {
        try await TestServer.with { server in
            let serial = try await server.freeSerials(1)[0]
            let fraction = try await server.setMigrationDeadline(serial, #""2027-01-31T00:00:00.750Z""#)
            #expect(fraction.migrationDeadline == Self.deadline)
            let offset = try await server.setMigrationDeadline(serial, #""2027-01-31T01:00:00+01:00""#)
            #expect(offset.migrationDeadline == Self.deadline)
            let day = try await server.setMigrationDeadline(serial, #""2027-02-01""#)
            #expect(day.migrationDeadline == Self.deadline.addingTimeInterval(86_400))
        }
    }

    @Test func clearingTheDeadlineIsSyncedToo() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Migrating MDM", devices: 1)
            let serial = linked.serials[0]
            try await server.setMigrationDeadline(serial, #""2027-01-31T00:00:00Z""#)
            let cursor = try await linked.session.exhaustedCursor()

            let cleared = try await server.portal(
                "PUT", "/devices/\(serial)/migration-deadline", json: #"{"deadline":null}"#)
            #expect(cleared.status == 200)
            #expect(cleared.text == #"{"serial_number":"\#(serial)","migration_deadline":null}"#)
            let events = try await linked.session.syncPage(cursor: cursor).devices ?? []
            #expect(events.map(\.opType) == [.modified])
            #expect(events.first?.mdmMigrationDeadline == nil)
            #expect(try await linked.session.device(serial).mdmMigrationDeadline == nil)

            // Clearing it again changes nothing, so there is nothing more to sync.
            let next = try await linked.session.syncPage(cursor: cursor).cursor
            try await server.setMigrationDeadline(serial, "null")
            #expect((try await linked.session.syncPage(cursor: next).devices ?? []).isEmpty)
        }
    }

    @Test func refusalsLeaveTheStoreAsItWas() async throws {
        try await TestServer.with { server in
            let serials = try await server.freeSerials(2)
            try await server.setMigrationDeadline(serials[0], #""2027-01-31T00:00:00Z""#)
            _ = try await server.portalValue(
                PortalReport.self, "POST", "/devices/release", json: #"{"serials":["\#(serials[1])"]}"#)
            let state = try await server.storeState()

            let refusals: [(serial: String, json: String, status: Int, error: String)] = [
                (TestServer.unknownSerial, #"{"deadline":"2027-01-31T00:00:00Z"}"#, 404, "NOT_FOUND"),
                (serials[1], #"{"deadline":"2027-01-31T00:00:00Z"}"#, 400, "ALREADY_RELEASED"),
                (serials[0], #"{"deadline":"next tuesday"}"#, 400, "INVALID_REQUEST"),
                (serials[0], #"{"deadline":"2027-02-30T00:00:00Z"}"#, 400, "INVALID_REQUEST"),
                (serials[0], #"{"deadline":1800000000}"#, 400, "INVALID_REQUEST"),
                (serials[0], #"{}"#, 400, "INVALID_REQUEST"),
                (serials[0], #"not json"#, 400, "INVALID_REQUEST"),
                ("R-1", #"{"deadline":null}"#, 400, "INVALID_SERIAL"),
                (serials[0] + "%1B", #"{"deadline":null}"#, 400, "INVALID_REQUEST"),
            ]
            for refusal in refusals {
                let problem = try await server.portalProblem(
                    "PUT", "/devices/\(refusal.serial)/migration-deadline", json: refusal.json)
                #expect(
                    problem.status == refusal.status && problem.error == refusal.error, "\(refusal.json): \(problem)")
            }
            #expect(try await server.storeState() == state)
        }
    }
}

extension TestServer {
    /// Sets a device's migration deadline to `json` (a JSON string or `null`) through the portal.
    @discardableResult
    func setMigrationDeadline(_ serial: String, _ json: String) async throws -> MigrationDeadline {
        try await portalValue(
            MigrationDeadline.self, "PUT", "/devices/\(PortalPath.escape(serial))/migration-deadline",
            json: #"{"deadline":\#(json)}"#)
    }
}
