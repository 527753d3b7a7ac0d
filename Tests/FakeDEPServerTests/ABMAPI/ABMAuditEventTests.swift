import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `GET /v1/auditEvents`: every assignment change, whatever surface made it.
struct ABMAuditEventTests {
    static let window = "filter[startTimestamp]=2026-01-01T00:00:00Z&filter[endTimestamp]=2027-01-01T00:00:00Z"

    func events(_ server: TestServer, limit: Int = 1000) async throws -> [AuditEvent] {
        var events: [AuditEvent] = []
        var next: String? = "/v1/auditEvents?limit=\(limit)&\(Self.window)"
        while let link = next {
            let page = try await server.abmGET(link).decode(ABMListDocument<AuditEvent>.self)
            events += page.data
            next = page.links.next
        }
        return events
    }

    @Test func portalAPIAndDEPChangesAllReachTheAuditLog() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 2, mayDisown: true)
            let before = try await events(server).count
            // Portal unassign: the ABM list and the audit log both show it.
            _ = try await server.world.unassign(serials: [linked.serials[0]])
            let device = try await server.abmGET("/v1/orgDevices/\(linked.serials[0])").decode(
                ABMDocument<OrgDevice>.self)
            #expect(device.data.attributes?.status == "UNASSIGNED")
            // An ABM activity, a DEP disown and a Configurator add.
            _ = try await server.abmActivity(
                OrgDeviceActivityCreateRequest(
                    .assignDevices, serials: [linked.serials[0]], server: linked.enrolled.uuid))
            _ = try await linked.session.call(
                "POST", "/devices/disown", json: #"{"devices":["\#(linked.serials[1])"]}"#)
            _ = try await server.world.addWithConfigurator(serials: ["CFGAUDIT0001"], model: "iPhone17,3")

            let added = try await events(server).dropFirst(before)
            let summary = added.map { "\($0.attributes.type!) \($0.attributes.subjectId!) \($0.attributes.actorType!)" }
            #expect(
                summary == [
                    "DEVICE_UNASSIGNED_FROM_SERVER \(linked.serials[0]) USER",
                    "DEVICE_ASSIGNED_TO_SERVER \(linked.serials[0]) API_USER",
                    "DEVICE_UNASSIGNED_FROM_SERVER \(linked.serials[1]) SYSTEM",
                    "DEVICE_REMOVED_FROM_ORG \(linked.serials[1]) SYSTEM",
                    "DEVICE_ADDED_TO_ORG CFGAUDIT0001 USER",
                ])
            let page = try await server.abmGET("/v1/auditEvents?limit=2&\(Self.window)")
            for part in try SchemaValidator.abmParts(of: page.body, resource: "OrgDevice")
            where part.schema != "abm/OrgDevice" {
                try SchemaValidator.validate([part])
            }
            #expect(try page.decode(ABMListDocument<AuditEvent>.self).data.count == 2)
        }
    }

    @Test func theSeededOrganisationsDevicesWereAddedByApple() async throws {
        try await TestServer.with { server in
            let events = try await events(server)
            let devices = try await server.serials(DeviceFilter())
            #expect(events.filter { $0.attributes.type == "DEVICE_ADDED_TO_ORG" }.count == devices.count)
            #expect(events.allSatisfy { $0.attributes.actorType == "SYSTEM" })
        }
    }

    @Test(arguments: ["", "filter[startTimestamp]=2026-01-01T00:00:00Z", "filter[endTimestamp]=2026-01-01T00:00:00Z"])
    func bothTimestampsAreRequired(query: String) async throws {
        try await TestServer.with { server in
            let answer = try await server.abmGET("/v1/auditEvents?\(query)")
            #expect(answer.status == 400)
            #expect(try answer.error().source?["parameter"]?.hasPrefix("filter[") == true)
        }
    }

    @Test func eventsOutsideTheWindowAreLeftOut() async throws {
        try await TestServer.with { server in
            let events = try await server.abmGET(
                "/v1/auditEvents?filter[startTimestamp]=2020-01-01T00:00:00Z&filter[endTimestamp]=2020-12-31T00:00:00Z")
            #expect(try events.decode(ABMListDocument<AuditEvent>.self).data.isEmpty)
        }
    }
}
