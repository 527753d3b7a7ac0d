import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// A world started without its mock data (`fakedep serve --no-mock-data`) can be set up: its
/// organisation created, devices seeded, and a DEP client served.
struct OrganisationSetupTests {
    @Test func anEmptyWorldSaysHowToSetItUp() async throws {
        try await TestServer.with(seed: false) { server in
            let problem = try await server.portalProblem("GET", "/organisation")
            #expect(problem.status == 404)
            #expect(problem.message.contains("fakedep organisation create"))
        }
    }

    @Test func anOrganisationCreatedInAnEmptyWorldServesADEPClient() async throws {
        try await TestServer.with(seed: false) { server in
            let response = try await server.portal(
                "POST", "/organisation", json: #"{"name":"Globex","email":"it@globex.example"}"#)
            #expect(response.status == 201)
            let details = try DEPJSON.decode(OrganisationDetails.self, from: response.body)
            #expect(details.name == "Globex")
            #expect(details.email == "it@globex.example")
            #expect(details.adminID == "admin@globex.example")
            #expect(details.orgType == "org")
            #expect(details.orgID.wholeMatch(of: /[0-9]{7}/) != nil)
            #expect(details.termsSigned)

            let seeded = try await server.portalValue(
                SeedSummary.self, "POST", "/seed", json: #"{"devices":30,"seed":5}"#)
            #expect(seeded.devices == 30)
            #expect(try await server.portalValue(OrganisationDetails.self, "GET", "/organisation").name == "Globex")
            try await Self.expectADEPClientSeesItsDevices(server)
        }
    }

    @Test func seedingAnEmptyWorldGivesItAnOrganisation() async throws {
        try await TestServer.with(seed: false) { server in
            _ = try await server.portalValue(SeedSummary.self, "POST", "/seed", json: #"{"devices":30,"seed":5}"#)
            #expect(try await !server.portalValue(OrganisationDetails.self, "GET", "/organisation").name.isEmpty)
            try await Self.expectADEPClientSeesItsDevices(server)
        }
    }

    @Test func aWorldHasOneOrganisation() async throws {
        try await TestServer.with { server in
            let before = try await server.portalValue(OrganisationDetails.self, "GET", "/organisation")
            let problem = try await server.portalProblem("POST", "/organisation", json: #"{"name":"Second"}"#)
            #expect(problem.status == 409)
            #expect(
                try await server.portalValue(OrganisationDetails.self, "GET", "/organisation").orgID == before.orgID)
        }
    }

    @Test(arguments: [#"{}"#, #"{"name":""}"#, #"{"name":"A\u0000B"}"#, #"{"name":"A","org_type":"gov"}"#])
    func aBadOrganisationIsRefusedAndNothingIsCreated(body: String) async throws {
        try await TestServer.with(seed: false) { server in
            let problem = try await server.portalProblem("POST", "/organisation", json: body)
            #expect(problem.status == 400)
            #expect(try await server.portal("GET", "/organisation").status == 404)
        }
    }

    /// Assigns five of the world's devices to a new MDM server and fetches them over the DEP API.
    private static func expectADEPClientSeesItsDevices(_ server: TestServer) async throws {
        let enrolled = try await EnrolledServer.make(server)
        let serials = try await server.freeSerials(5)
        _ = try await server.world.assign(serials: serials, to: enrolled.name)
        let session = try await DEPSession(server, enrolled)
        let page = try await session.decode(FetchDeviceResponse.self, "POST", "/server/devices", json: "{}")
        #expect(Set((page.devices ?? []).map(\.serialNumber)) == Set(serials))
    }
}

/// `POST /portal/seed`'s answer.
private struct SeedSummary: Decodable {
    var orders: Int
    var devices: Int
}
