import DEPTestSupport
import DEPWire
import Foundation
import Testing

/// The ABM API's JSON:API documents (peers §5.4, §5.5): Apple's examples decode, what we write
/// decodes back to the same values and validates against `Schemas/abm`, and a client reads the
/// variations seen in the field.
struct ABMResourceTests {
    /// §5.5's first page of the device list, as written there.
    static let devicePage = """
        {"data": [{"type": "orgDevices", "id": "C02FKD0001XY",
          "attributes": {"serialNumber": "C02FKD0001XY", "addedToOrgDateTime": "2026-03-02T09:15:27.410Z",
            "releasedFromOrgDateTime": null, "updatedDateTime": "2026-03-04T17:40:02.118Z",
            "deviceModel": "MacBook Air (13-inch, M3)", "productFamily": "Mac", "productType": "Mac15,12",
            "deviceCapacity": "512GB", "partNumber": "MXCV3LL/A", "orderNumber": "W123456789",
            "orderDateTime": "2026-02-27T00:00:00Z", "color": "MIDNIGHT", "status": "ASSIGNED", "imei": [],
            "meid": [], "wifiMacAddress": "f0:2f:4b:11:22:33", "bluetoothMacAddress": "f0:2f:4b:11:22:34",
            "ethernetMacAddress": [], "purchaseSourceId": "1234567", "purchaseSourceType": "APPLE"},
          "relationships": {
            "assignedServer": {"links": {
              "self": "https://api-business.apple.com/v1/orgDevices/C02FKD0001XY/relationships/assignedServer",
              "related": "https://api-business.apple.com/v1/orgDevices/C02FKD0001XY/assignedServer"}},
            "appleCareCoverage": {"links": {
              "related": "https://api-business.apple.com/v1/orgDevices/C02FKD0001XY/appleCareCoverage"}}},
          "links": {"self": "https://api-business.apple.com/v1/orgDevices/C02FKD0001XY"}},
          {"type": "orgDevices", "id": "DMQFKD0002AB", "attributes": {"serialNumber": "DMQFKD0002AB",
            "productFamily": "iPad", "status": "UNASSIGNED", "purchaseSourceType": "MANUALLY_ADDED", "…": "…"}}],
         "links": {"self": "https://api-business.apple.com/v1/orgDevices?limit=2",
           "next": "https://api-business.apple.com/v1/orgDevices?cursor=MjowOjE3&limit=2"},
         "meta": {"paging": {"limit": 2, "nextCursor": "MjowOjE3"}}}
        """

    static let serverPage = """
        {"data": [{"type": "mdmServers", "id": "7C1E0D5B2A3F4E6D8B9A0C1D2E3F4A5B",
          "attributes": {"serverName": "FakeDEP Test MDM", "serverType": "MDM", "status": "ACTIVE", "deviceCount": 1,
            "enableMdmDisownFlag": false, "defaultProductFamilies": ["MAC"],
            "createdDateTime": "2026-03-01T08:00:00.000Z", "updatedDateTime": "2026-03-04T17:40:02.118Z"},
          "relationships": {"devices": {"links": {
            "self": "https://api-business.apple.com/v1/mdmServers/7C1E0D5B2A3F4E6D8B9A0C1D2E3F4A5B/relationships/devices"}}}}],
         "links": {"self": "https://api-business.apple.com/v1/mdmServers"}, "meta": {"paging": {"limit": 100}}}
        """

    static let activityRequest = """
        {"data": {"type": "orgDeviceActivities", "attributes": {"activityType": "ASSIGN_DEVICES"},
          "relationships": {
            "mdmServer": {"data": {"type": "mdmServers", "id": "7C1E0D5B2A3F4E6D8B9A0C1D2E3F4A5B"}},
            "devices": {"data": [{"type": "orgDevices", "id": "DMQFKD0002AB"}]}}}}
        """

    static let completedActivity = """
        {"data": {"type": "orgDeviceActivities", "id": "3f6c2a9e-1b7d-4e0a-9c55-8d2e4b6f1a07",
          "attributes": {"status": "COMPLETED", "subStatus": "COMPLETED_WITH_SUCCESS",
            "createdDateTime": "2026-03-05T10:00:00.000Z", "completedDateTime": "2026-03-05T10:00:09.512Z",
            "downloadUrl": "https://fakedep.local/activity-logs/3f6c2a9e.csv"},
          "links": {"self": "https://api-business.apple.com/v1/orgDeviceActivities/3f6c2a9e-1b7d-4e0a-9c55-8d2e4b6f1a07"}},
         "links": {"self": "https://api-business.apple.com/v1/orgDeviceActivities/3f6c2a9e-1b7d-4e0a-9c55-8d2e4b6f1a07"}}
        """

    @Test func theDeviceListExampleDecodesWithItsPaging() throws {
        let page = try DEPJSON.decode(ABMListDocument<OrgDevice>.self, from: Self.devicePage)
        #expect(page.data.map(\.id) == ["C02FKD0001XY", "DMQFKD0002AB"])
        let first = try #require(page.data[0].attributes)
        #expect(first.addedToOrgDateTime == ABMDateTime(Date(timeIntervalSince1970: 1_772_442_927.410)))
        #expect(first.releasedFromOrgDateTime == .some(nil))
        #expect(first.purchaseSourceId == "1234567")
        #expect(first.imei == [])
        #expect(page.data[1].attributes?.releasedFromOrgDateTime == nil)
        #expect(page.data[0].relationships?.assignedServer?.links?.related?.hasSuffix("/assignedServer") == true)
        #expect(page.nextCursor == "MjowOjE3")
        #expect(page.links.next?.contains("cursor=MjowOjE3") == true)
    }

    @Test func theServerAndActivityExamplesDecode() throws {
        let servers = try DEPJSON.decode(ABMListDocument<MdmServer>.self, from: Self.serverPage)
        #expect(servers.data.first?.attributes?.defaultProductFamilies == ["MAC"])
        #expect(servers.nextCursor == nil)
        let request = try DEPJSON.decode(OrgDeviceActivityCreateRequest.self, from: Self.activityRequest)
        #expect(
            request
                == OrgDeviceActivityCreateRequest(
                    .assignDevices, serials: ["DMQFKD0002AB"], server: "7C1E0D5B2A3F4E6D8B9A0C1D2E3F4A5B"))
        let activity = try DEPJSON.decode(ABMDocument<OrgDeviceActivity>.self, from: Self.completedActivity)
        #expect(activity.data.attributes?.subStatus == "COMPLETED_WITH_SUCCESS")
        #expect(
            activity.data.attributes?.completedDateTime.map { ABMDateTime.format($0.date) }
                == "2026-03-05T10:00:09.512Z")
    }

    @Test func datesAreWrittenWithMillisecondsInUTC() {
        #expect(ABMDateTime.format(Date(timeIntervalSince1970: 1_772_442_927.410)) == "2026-03-02T09:15:27.410Z")
        #expect(ABMDateTime.format(Date(timeIntervalSince1970: 1_780_000_000)) == "2026-05-28T20:26:40.000Z")
        #expect(ABMDateTime.format(Date(timeIntervalSince1970: 1.9996)) == "1970-01-01T00:00:02.000Z")
        #expect(ABMDateTime.parse("2026-03-02T10:15:27.410+01:00") == Date(timeIntervalSince1970: 1_772_442_927.410))
        #expect(ABMDateTime.parse("yesterday") == nil)
    }

    @Test func whatIsWrittenReadsBackTheSame() throws {
        for text in [Self.devicePage] {
            let page = try DEPJSON.decode(ABMListDocument<OrgDevice>.self, from: text)
            let again = try DEPJSON.decode(ABMListDocument<OrgDevice>.self, from: try DEPJSON.encode(page))
            #expect(again == page)
        }
        let servers = try DEPJSON.decode(ABMListDocument<MdmServer>.self, from: Self.serverPage)
        #expect(try DEPJSON.decode(ABMListDocument<MdmServer>.self, from: try DEPJSON.encode(servers)) == servers)
        let activity = try DEPJSON.decode(ABMDocument<OrgDeviceActivity>.self, from: Self.completedActivity)
        #expect(try DEPJSON.decode(ABMDocument<OrgDeviceActivity>.self, from: try DEPJSON.encode(activity)) == activity)
    }

    @Test func aDeviceInTheOrganisationIsWrittenWithANullReleaseAndAReleasedOneWithItsDate() throws {
        var attributes = OrgDevice.Attributes()
        attributes.serialNumber = "C02FKD0001XY"
        attributes.releasedFromOrgDateTime = .some(nil)
        #expect(
            try DEPJSON.encodeString(attributes) == #"{"serialNumber":"C02FKD0001XY","releasedFromOrgDateTime":null}"#)
        attributes.releasedFromOrgDateTime = ABMDateTime(Date(timeIntervalSince1970: 0))
        #expect(
            try DEPJSON.encodeString(attributes)
                == #"{"serialNumber":"C02FKD0001XY","releasedFromOrgDateTime":"1970-01-01T00:00:00.000Z"}"#)
        attributes.releasedFromOrgDateTime = nil
        #expect(try DEPJSON.encodeString(attributes) == #"{"serialNumber":"C02FKD0001XY"}"#)
    }

    @Test func aClientReadsTheVariationsSeenInTheField() throws {
        let text = """
            {"purchaseSourceUid": "987", "imei": "356938035643809", "meid": null,
             "wifiMacAddress": ["f0:2f:4b:11:22:33"], "ethernetMacAddress": "a8:20:66:00:00:01"}
            """
        let attributes = try DEPJSON.decode(OrgDevice.Attributes.self, from: text)
        #expect(attributes.purchaseSourceId == "987")
        #expect(attributes.imei == ["356938035643809"])
        #expect(attributes.meid == nil)
        #expect(attributes.wifiMacAddress == "f0:2f:4b:11:22:33")
        #expect(attributes.ethernetMacAddress == ["a8:20:66:00:00:01"])
        // Written back in Apple's documented form.
        let written = try DEPJSON.encodeString(attributes)
        #expect(written.contains(#""imei":["356938035643809"]"#))
        #expect(written.contains(#""purchaseSourceId":"987""#))
        #expect(!written.contains("purchaseSourceUid"))
    }

    @Test func restrictingFieldsKeepsOnlyThoseNamed() throws {
        let page = try DEPJSON.decode(ABMListDocument<OrgDevice>.self, from: Self.devicePage)
        let restricted = try #require(page.data[0].attributes).restricted(to: ["serialNumber", "status"])
        #expect(try DEPJSON.encodeString(restricted) == #"{"serialNumber":"C02FKD0001XY","status":"ASSIGNED"}"#)
        #expect(OrgDevice.Attributes.fieldNames.contains("purchaseSourceId"))
        #expect(!OrgDevice.Attributes.fieldNames.contains("purchaseSourceUid"))
    }

    @Test func writtenDocumentsValidateAgainstTheABMSchemas() throws {
        var parts: [(schema: String, json: Data)] = []
        let devices = try DEPJSON.decode(ABMListDocument<OrgDevice>.self, from: Self.devicePage)
        parts += try SchemaValidator.abmParts(of: try DEPJSON.encode(devices), resource: "OrgDevice")
        let servers = try DEPJSON.decode(ABMListDocument<MdmServer>.self, from: Self.serverPage)
        parts.append(("abm/MdmServersResponse", try DEPJSON.encode(servers)))
        let activity = try DEPJSON.decode(ABMDocument<OrgDeviceActivity>.self, from: Self.completedActivity)
        parts.append(("abm/OrgDeviceActivityResponse", try DEPJSON.encode(activity)))
        let request = OrgDeviceActivityCreateRequest(
            .assignDevicesWithMigrationDeadline, serials: ["DMQFKD0002AB"], server: "7C1E",
            deadline: ABMDateTime(Date(timeIntervalSince1970: 1_780_000_000)))
        parts.append(("abm/OrgDeviceActivityCreateRequest", try DEPJSON.encode(request)))
        let linkage = LinkageDocument(
            data: ResourceLinkage(type: "mdmServers", id: "7C1E"), links: RelationshipLinks(self: "/a", related: "/b"))
        parts.append(("abm/RelationshipLinks", try DEPJSON.encode(linkage.links)))
        try SchemaValidator.validate(parts)
    }

    @Test func theValidatorRefusesAWrongDevice() throws {
        let wrong = Data(#"{"type":"orgDevices","id":"X","attributes":{"status":"LOST","imei":[1]}}"#.utf8)
        #expect(throws: SchemaValidator.Failure.self) { try SchemaValidator.validate([("abm/OrgDevice", wrong)]) }
    }

    @Test func anEmptyToOneRelationshipIsWrittenAsNull() throws {
        let document = LinkageDocument(data: nil, links: RelationshipLinks(self: "/s", related: "/r"))
        #expect(try DEPJSON.encodeString(document) == #"{"data":null,"links":{"self":"/s","related":"/r"}}"#)
    }
}
