import DEPCrypto
import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `/v1/mdmServers`: the world's MDM servers, created, changed and deleted with the portal's rules.
struct ABMServerTests {
    static func createBody(name: String, certificate: String, disown: Bool? = nil) -> String {
        let request = MdmServerRequest(
            data: .init(
                attributes: .init(
                    serverName: name, serverCertificate: .init(name: "mdm.cer", data: certificate),
                    enableMdmDisownFlag: disown)))
        return try! DEPJSON.encodeString(request)
    }

    static var certificate: String { try! TestKeyPair.shared.certificate.der.base64EncodedString() }

    @Test func aServerCreatedThroughTheAPIIsOneThePortalAndTheDEPAPIKnow() async throws {
        try await TestServer.with { server in
            let answer = try await server.abm(
                "POST", "/v1/mdmServers",
                json: Self.createBody(name: "Lab MDM", certificate: Self.certificate, disown: true))
            #expect(answer.status == 201, "\(answer.text)")
            try SchemaValidator.validateABM(answer.body, resource: "MdmServer")
            let created = try answer.decode(ABMDocument<MdmServer>.self).data
            #expect(created.id.count == 32 && created.id == created.id.uppercased())
            #expect(created.attributes?.serverType == "MDM")
            #expect(created.attributes?.enableMdmDisownFlag == true)
            #expect(created.attributes?.deviceCount == 0)
            let portal = try await server.world.showServer("Lab MDM")
            #expect(portal.uuid == created.id && portal.hasCertificate && portal.mayDisown)
            // Its token is downloaded as any server's, and opens a DEP session.
            let tokens = try await EnrolledServer.downloadTokens(
                server, name: "Lab MDM", key: TestKeyPair.shared.key, certificate: TestKeyPair.shared.certificate)
            _ = try await DEPSession(
                server, EnrolledServer(name: "Lab MDM", uuid: created.id, tokens: tokens), version: 10)

            let list = try await server.abmGET("/v1/mdmServers")
            try SchemaValidator.validate([("abm/MdmServersResponse", list.body)])
            #expect(try list.decode(ABMListDocument<MdmServer>.self).data.map(\.id).contains(created.id))
            let one = try await server.abmGET("/v1/mdmServers/\(created.id)")
            try SchemaValidator.validateABM(one.body, resource: "MdmServer")
        }
    }

    @Test func aBadCertificateOrATakenNameIsRefusedAtItsPointerAndCreatesNothing() async throws {
        try await TestServer.with { server in
            let bad = try await server.abm(
                "POST", "/v1/mdmServers", json: Self.createBody(name: "Bad", certificate: "bm90IGEgY2VydA=="))
            #expect(bad.status == 409)
            #expect(try bad.error().code == "ENTITY_ERROR.ATTRIBUTE.INVALID")
            #expect(try bad.error().source?["pointer"] == "/data/attributes/serverCertificate/data")
            #expect(try await server.world.listServers().isEmpty)
            _ = try await server.world.createServer(name: "Taken")
            let taken = try await server.abm(
                "POST", "/v1/mdmServers", json: Self.createBody(name: "taken", certificate: Self.certificate))
            #expect(taken.status == 409)
            #expect(try taken.error().source?["pointer"] == "/data/attributes/serverName")
            let shapeless = try await server.abm("POST", "/v1/mdmServers", json: #"{"data":{"attributes":{}}}"#)
            #expect(shapeless.status == 422)
            #expect(try shapeless.error().source?["pointer"] == "/data/type")
            let notJSON = try await server.abm("POST", "/v1/mdmServers", json: "{")
            #expect(notJSON.status == 400)
            #expect(try await server.world.listServers().count == 1)
        }
    }

    @Test func aPatchChangesOnlyWhatItSends() async throws {
        try await TestServer.with { server in
            let summary = try await server.world.createServer(name: "Before", mayDisown: true)
            server.clock.advance(by: 60)
            let body =
                #"{"data":{"type":"mdmServers","id":"\#(summary.uuid)","attributes":{"serverName":"After","defaultProductFamilies":["MAC","IPAD"]}}}"#
            let answer = try await server.abm("PATCH", "/v1/mdmServers/\(summary.uuid)", json: body)
            try SchemaValidator.validateABM(answer.body, resource: "MdmServer")
            let changed = try answer.decode(ABMDocument<MdmServer>.self).data
            #expect(changed.attributes?.serverName == "After")
            #expect(changed.attributes?.enableMdmDisownFlag == true)
            #expect(changed.attributes?.defaultProductFamilies == ["MAC", "IPAD"])
            #expect(changed.attributes?.updatedDateTime == ABMDateTime(TestServer.start.addingTimeInterval(60)))
            #expect(changed.attributes?.createdDateTime == ABMDateTime(TestServer.start))
            let wrong = #"{"data":{"type":"mdmServers","attributes":{"defaultProductFamilies":["TOASTER"]}}}"#
            #expect(try await server.abm("PATCH", "/v1/mdmServers/\(summary.uuid)", json: wrong).status == 409)
            let unknown = String(repeating: "0", count: 32)
            let missing = try await server.abm(
                "PATCH", "/v1/mdmServers/\(unknown)", json: body.replacingOccurrences(of: summary.uuid, with: unknown))
            #expect(missing.status == 404)
        }
    }

    @Test func aServerWithDevicesIsNotDeletedAndAnEmptyOneIs() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 2)
            let refused = try await server.abm("DELETE", "/v1/mdmServers/\(linked.enrolled.uuid)")
            #expect(refused.status == 409)
            _ = try refused.error()
            #expect(try await server.world.showServer(linked.name).deviceCount == 2)
            let devices = try await server.abmGET(
                "/v1/mdmServers/\(linked.enrolled.uuid)/relationships/devices?limit=1")
            let page = try devices.decode(LinkageListDocument.self)
            let document = try #require(try JSONSerialization.jsonObject(with: devices.body) as? [String: Any])
            try SchemaValidator.validate([
                ("abm/PagedDocumentLinks", try JSONSerialization.data(withJSONObject: document["links"]!)),
                ("abm/PagingInformation", try JSONSerialization.data(withJSONObject: document["meta"]!)),
            ])
            #expect(page.data.map(\.id) == [linked.serials.sorted()[0]])
            let rest = try await server.abmGET(try #require(page.links.next)).decode(LinkageListDocument.self)
            #expect(rest.data.map(\.id) == [linked.serials.sorted()[1]])
            #expect(rest.links.next == nil)

            _ = try await server.world.unassign(serials: linked.serials)
            #expect(try await server.abm("DELETE", "/v1/mdmServers/\(linked.enrolled.uuid)").status == 204)
            #expect(try await server.abmGET("/v1/mdmServers/\(linked.enrolled.uuid)").status == 404)
        }
    }
}
