import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `POST /v1/orgDeviceActivities`: changes made with the portal's rules, reported `IN_PROGRESS`
/// until two seconds have passed, with a CSV log of each device.
struct ABMActivityTests {
    @Test func anAssignActivityReachesTheServersDEPSyncAndLogsAnUnknownSerial() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let cursor = try await linked.session.exhaustedCursor()
            let serials = try await server.freeSerials(2)
            let activity = try await server.abmActivity(
                OrgDeviceActivityCreateRequest(
                    .assignDevices, serials: serials + [TestServer.unknownSerial], server: linked.enrolled.uuid))
            #expect(activity.attributes?.status == "IN_PROGRESS")
            #expect(activity.attributes?.subStatus == "SUBMITTED")
            #expect(activity.attributes?.downloadUrl == nil)

            let sync = try await linked.session.syncPage(cursor: cursor)
            #expect(Set((sync.devices ?? []).filter { $0.opType == .added }.map(\.serialNumber)) == Set(serials))

            let pending = try await server.abmGET("/v1/orgDeviceActivities/\(activity.id)")
            #expect(try pending.decode(ABMDocument<OrgDeviceActivity>.self).data.attributes?.status == "IN_PROGRESS")
            _ = try await server.advanceClock("PT2S")
            let done = try await server.abmGET("/v1/orgDeviceActivities/\(activity.id)")
            try SchemaValidator.validate([("abm/OrgDeviceActivityResponse", done.body)])
            let attributes = try #require(try done.decode(ABMDocument<OrgDeviceActivity>.self).data.attributes)
            #expect(attributes.status == "COMPLETED")
            #expect(attributes.subStatus == "COMPLETED_WITH_ERROR")
            #expect(attributes.completedDateTime == ABMDateTime(TestServer.start.addingTimeInterval(2)))
            let url = try #require(attributes.downloadUrl)
            #expect(url.hasPrefix(server.baseURL + "/activity-logs/"))
            let log = try await server.abmGET(url)
            #expect(log.status == 200)
            let lines = log.text.split(separator: "\r\n").map(String.init)
            #expect(lines.first == "serial_number,result,detail")
            #expect(lines.contains { $0.hasPrefix("\(TestServer.unknownSerial),FAILED,unknown_serial") })
            #expect(lines.filter { $0.contains(",SUCCESS,assigned") }.count == 2)
        }
    }

    @Test func anActivityCompletesAfterTwoSecondsOfRealTimeToo() async throws {
        try await TestServer.with { server in
            let serial = try await server.freeSerials(1)[0]
            let activity = try await server.abmActivity(
                OrgDeviceActivityCreateRequest(.releaseDevices, serials: [serial]))
            server.clock.advance(by: 2)
            let done = try await server.abmGET("/v1/orgDeviceActivities/\(activity.id)")
            let attributes = try done.decode(ABMDocument<OrgDeviceActivity>.self).data.attributes
            #expect(attributes?.subStatus == "COMPLETED_WITH_SUCCESS")
            let device = try await server.abmGET("/v1/orgDevices/\(serial)").decode(ABMDocument<OrgDevice>.self)
            #expect(device.data.attributes?.releasedFromOrgDateTime != .some(nil))
        }
    }

    @Test func anActivityOlderThanThirtyDaysIsNotFound() async throws {
        try await TestServer.with { server in
            let serial = try await server.freeSerials(1)[0]
            let linked = try await server.linkServer("Old MDM")
            let activity = try await server.abmActivity(
                OrgDeviceActivityCreateRequest(.assignDevices, serials: [serial], server: linked.enrolled.uuid))
            _ = try await server.advanceClock("P30D")
            #expect(try await server.abmGET("/v1/orgDeviceActivities/\(activity.id)").status == 200)
            _ = try await server.advanceClock("PT1S")
            let gone = try await server.abmGET("/v1/orgDeviceActivities/\(activity.id)")
            #expect(gone.status == 404)
            #expect(try gone.error().code == "NOT_FOUND")
            #expect(try await server.abmGET("/activity-logs/\(activity.id).csv").status == 404)
        }
    }

    @Test func aMigrationDeadlineIsAtMostNinetyDaysAheadAndAUnassignNamesItsServer() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            let other = try await server.linkServer("Other MDM")
            let serial = linked.serials[0]
            let far = ABMDateTime(TestServer.start.addingTimeInterval(91 * 86_400))
            let refused = try await server.abm(
                "POST", "/v1/orgDeviceActivities",
                json: try DEPJSON.encodeString(
                    OrgDeviceActivityCreateRequest(
                        .assignDevicesWithMigrationDeadline, serials: [serial], server: other.enrolled.uuid,
                        deadline: far)))
            #expect(refused.status == 409)
            #expect(
                try refused.error().source?["pointer"]
                    == "/data/attributes/activityTypeMetadata/mdmMigrationDeadlineDateTime")
            #expect(try await server.world.showServer("Other MDM").deviceCount == 0)

            let near = ABMDateTime(TestServer.start.addingTimeInterval(30 * 86_400))
            _ = try await server.abmActivity(
                OrgDeviceActivityCreateRequest(
                    .assignDevicesWithMigrationDeadline, serials: [serial], server: other.enrolled.uuid, deadline: near)
            )
            let device = try await server.abmGET("/v1/orgDevices/\(serial)").decode(ABMDocument<OrgDevice>.self).data
            #expect(device.attributes?.mdmMigrationDeadlineDateTime == near)
            _ = try await server.abmActivity(OrgDeviceActivityCreateRequest(.cancelMigration, serials: [serial]))
            let cancelled = try await server.abmGET("/v1/orgDevices/\(serial)").decode(ABMDocument<OrgDevice>.self)
            #expect(cancelled.data.attributes?.mdmMigrationDeadlineDateTime == nil)

            // An unassign from a server the device is not on changes nothing and says so in its log.
            let unassign = try await server.abmActivity(
                OrgDeviceActivityCreateRequest(.unassignDevices, serials: [serial], server: linked.enrolled.uuid))
            server.clock.advance(by: 2)
            let state = try await server.abmGET("/v1/orgDeviceActivities/\(unassign.id)")
                .decode(ABMDocument<OrgDeviceActivity>.self).data
            #expect(state.attributes?.subStatus == "COMPLETED_WITH_ERROR")
            #expect(try await server.world.showServer("Other MDM").deviceCount == 1)
        }
    }

    @Test func aBadActivityIsRefusedAndChangesNothing() async throws {
        try await TestServer.with { server in
            let serial = try await server.freeSerials(1)[0]
            let noServer = try await server.abm(
                "POST", "/v1/orgDeviceActivities",
                json: try DEPJSON.encodeString(OrgDeviceActivityCreateRequest(.assignDevices, serials: [serial])))
            #expect(noServer.status == 409)
            let unknownServer = try await server.abm(
                "POST", "/v1/orgDeviceActivities",
                json: try DEPJSON.encodeString(
                    OrgDeviceActivityCreateRequest(
                        .assignDevices, serials: [serial], server: String(repeating: "A", count: 32))))
            #expect(unknownServer.status == 409)
            #expect(try unknownServer.error().source?["pointer"] == "/data/relationships/mdmServer/data/id")
            let unknownType =
                #"{"data":{"type":"orgDeviceActivities","attributes":{"activityType":"PAINT_DEVICES"},"relationships":{"devices":{"data":[{"type":"orgDevices","id":"\#(serial)"}]}}}}"#
            #expect(try await server.abm("POST", "/v1/orgDeviceActivities", json: unknownType).status == 409)
            #expect(try await server.inventoryRecord(serial).status == "unassigned")
        }
    }

    @Test func aDevicesFaultRuleFailsItsDeviceInTheLogAndLeavesItAsItWas() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let serials = try await server.freeSerials(2)
            let rule = #"{"operation":"abm_create_activity","serial":"\#(serials[0])","devices":{"result":"FAILED"}}"#
            #expect(try await server.send("POST", "/_fakedep/worlds/default/faults", json: rule).status == 201)
            let activity = try await server.abmActivity(
                OrgDeviceActivityCreateRequest(.assignDevices, serials: serials, server: linked.enrolled.uuid))
            server.clock.advance(by: 2)
            let state = try await server.abmGET("/v1/orgDeviceActivities/\(activity.id)")
                .decode(ABMDocument<OrgDeviceActivity>.self).data
            #expect(state.attributes?.subStatus == "COMPLETED_WITH_ERROR")
            let log = try await server.abmGET(try #require(state.attributes?.downloadUrl)).text
            #expect(log.contains("\(serials[0]),FAILED,fault rule: FAILED"))
            #expect(try await server.inventoryRecord(serials[0]).status == "unassigned")
            #expect(try await server.inventoryRecord(serials[1]).status == "assigned")
        }
    }
}
