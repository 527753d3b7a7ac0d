import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `GET /v1/orgDevices` and a device's own resources: the organisation's devices as the ABM
/// API shows them, paged, from the same world the portal and the DEP API change.
struct ABMDeviceTests {
    @Test func pagingThroughThousandsOfDevicesListsEachOnceAndEveryPageValidates() async throws {
        try await TestServer.with { server in
            _ = try await server.world.seed(deviceCount: 2_500, seed: 7)
            let expected = try await server.serials(DeviceFilter())
            #expect(expected.count >= 2_500)
            let (devices, pages) = try await server.abmAllDevices(limit: 1000)
            #expect(devices.map(\.id) == expected)
            #expect(pages == (expected.count + 999) / 1000)
            let first = try await server.abmGET("/v1/orgDevices?limit=1000")
            try SchemaValidator.validateABM(first.body, resource: "OrgDevice")
            let page = try first.decode(ABMListDocument<OrgDevice>.self)
            #expect(page.links.next?.hasPrefix(server.baseURL + "/v1/orgDevices?cursor=") == true)
            #expect(page.data[0].links?.selfLink == server.baseURL + "/v1/orgDevices/\(page.data[0].id)")
        }
    }

    @Test func theDefaultPageHoldsAHundredDevices() async throws {
        try await TestServer.with { server in
            _ = try await server.world.seed(deviceCount: 150, seed: 3)
            let page = try await server.abmGET("/v1/orgDevices").decode(ABMListDocument<OrgDevice>.self)
            #expect(page.data.count == 100)
            #expect(page.meta?.paging.limit == 100)
        }
    }

    @Test(arguments: ["limit=0", "limit=1001", "limit=ten", "cursor=bm90LW91cnM", "cursor=%%%"])
    func aBadLimitOrCursorIsRefusedNamingTheParameter(query: String) async throws {
        try await TestServer.with { server in
            let answer = try await server.abmGET("/v1/orgDevices?\(query)")
            #expect(answer.status == 400)
            let error = try answer.error()
            #expect(error.code == "PARAMETER_ERROR.INVALID")
            #expect(error.source?["parameter"] == String(query.prefix { $0 != "=" }))
        }
    }

    @Test func aReleasedDeviceLeavesTheListButItsOwnGETShowsWhen() async throws {
        try await TestServer.with { server in
            let serial = try await server.freeSerials(1)[0]
            _ = try await server.world.release(serials: [serial])
            #expect(try await !server.abmAllDevices(limit: 1000).devices.contains { $0.id == serial })
            let answer = try await server.abmGET("/v1/orgDevices/\(serial)")
            try SchemaValidator.validateABM(answer.body, resource: "OrgDevice")
            let device = try answer.decode(ABMDocument<OrgDevice>.self).data
            #expect(device.attributes?.releasedFromOrgDateTime == .some(ABMDateTime(TestServer.start)))
            let other = try await server.freeSerials(1)[0]
            let kept = try await server.abmGET("/v1/orgDevices/\(other)").decode(ABMDocument<OrgDevice>.self)
            #expect(kept.data.attributes?.releasedFromOrgDateTime == .some(nil))
        }
    }

    @Test func anUnknownDeviceIsNotFound() async throws {
        try await TestServer.with { server in
            for path in ["", "/appleCareCoverage", "/assignedServer", "/relationships/assignedServer"] {
                let answer = try await server.abmGET("/v1/orgDevices/\(TestServer.unknownSerial)\(path)")
                #expect(answer.status == 404)
                #expect(try answer.error().code == "NOT_FOUND")
            }
        }
    }

    @Test func fieldsRestrictTheAttributesAndAnUnknownFieldIsRefused() async throws {
        try await TestServer.with { server in
            let page = try await server.abmGET("/v1/orgDevices?limit=5&fields%5BorgDevices%5D=serialNumber,status")
                .decode(ABMListDocument<OrgDevice>.self)
            for device in page.data {
                #expect(device.attributes?.serialNumber == device.id)
                #expect(device.attributes?.status != nil)
                #expect(device.attributes?.productFamily == nil)
            }
            #expect(page.links.next?.contains("fields") == true)
            let refused = try await server.abmGET("/v1/orgDevices?fields[orgDevices]=colour")
            #expect(refused.status == 400)
            #expect(try refused.error().source?["parameter"] == "fields[orgDevices]")
        }
    }

    @Test func aDeviceShowsItsServerItsStatusAndWhenItChanged() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            let serial = linked.serials[0]
            let device = try await server.abmGET("/v1/orgDevices/\(serial)").decode(ABMDocument<OrgDevice>.self).data
            #expect(device.attributes?.status == "ASSIGNED")
            let linkage = try await server.abmGET("/v1/orgDevices/\(serial)/relationships/assignedServer")
            try SchemaValidator.validate([
                (
                    "abm/RelationshipLinks",
                    try JSONSerialization.data(
                        withJSONObject: (try JSONSerialization.jsonObject(with: linkage.body) as! [String: Any])[
                            "links"]!)
                )
            ])
            #expect(
                try linkage.decode(LinkageDocument.self).data
                    == ResourceLinkage(type: "mdmServers", id: linked.enrolled.uuid))
            let related = try await server.abmGET("/v1/orgDevices/\(serial)/assignedServer")
            try SchemaValidator.validateABM(related.body, resource: "MdmServer")
            #expect(try related.decode(ABMDocument<MdmServer>.self).data.attributes?.serverName == linked.name)

            server.clock.advance(by: 3600)
            _ = try await server.world.unassign(serials: [serial])
            let after = try await server.abmGET("/v1/orgDevices/\(serial)").decode(ABMDocument<OrgDevice>.self).data
            #expect(after.attributes?.status == "UNASSIGNED")
            #expect(after.attributes?.updatedDateTime == ABMDateTime(TestServer.start.addingTimeInterval(3600)))
            let none = try await server.abmGET("/v1/orgDevices/\(serial)/relationships/assignedServer")
            #expect(try none.decode(LinkageDocument.self).data == nil)
        }
    }

    @Test func everyDeviceHasItsWarrantyAndSomeHaveAppleCarePlus() async throws {
        try await TestServer.with { server in
            let devices = try await server.abmAllDevices(limit: 1000).devices.prefix(40)
            var plans = 0
            for device in devices {
                let coverage = try await server.abmGET("/v1/orgDevices/\(device.id)/appleCareCoverage")
                    .decode(ABMListDocument<AppleCareCoverage>.self).data
                #expect(coverage.first?.attributes.description == "Limited Warranty")
                #expect(coverage.first?.attributes.startDateTime == device.attributes?.orderDateTime)
                plans += coverage.count - 1
                let again = try await server.abmGET("/v1/orgDevices/\(device.id)/appleCareCoverage")
                    .decode(ABMListDocument<AppleCareCoverage>.self).data
                #expect(again == coverage)
            }
            #expect(plans > 0 && plans < devices.count)
        }
    }

    @Test func aFaultRuleOnAnABMOperationAnswersWithAnErrorResponse() async throws {
        try await TestServer.with { server in
            let rule = #"{"operation":"abm_list_devices","times":1,"error":{"status":429,"retry_after":3}}"#
            #expect(try await server.send("POST", "/_fakedep/worlds/default/faults", json: rule).status == 201)
            let limited = try await server.abmGET("/v1/orgDevices?limit=5")
            #expect(limited.status == 429)
            #expect(try limited.error().code == "RATE_LIMIT_EXCEEDED")
            #expect(try await server.abmGET("/v1/orgDevices?limit=5").status == 200)
            let broken = #"{"operation":"abm_list_devices","nth":1,"error":{"status":503}}"#
            _ = try await server.send("POST", "/_fakedep/worlds/default/faults", json: broken)
            let unavailable = try await server.abmGET("/v1/orgDevices")
            #expect(unavailable.status == 503)
            #expect(try unavailable.error().status == "503")
        }
    }
}
