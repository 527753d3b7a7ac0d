import DEPCrypto
import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import FakeDEPTesting
import Foundation
import Testing

/// The portal and test control read a body only in the type they take: JSON, or a file's own
/// type; the three types any page may send cross-site without asking are refused with 415, and
/// nothing changes. Apple's surfaces take what they always took.
struct ContentTypeGuardTests {
    /// The types a form post or a preflight-free `fetch` carries.
    static let simpleTypes = [
        "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "TEXT/PLAIN",
    ]

    /// JSON routes of each surface, each with a body it would act on.
    static let jsonRoutes: [(String, String, String)] = [
        ("POST", "/portal/servers", #"{"name":"Forged"}"#),
        ("POST", "/_fakedep/worlds/default/portal/servers", #"{"name":"Forged"}"#),
        ("POST", "/_fakedep/worlds", #"{"name":"forged"}"#),
        ("POST", "/_fakedep/worlds/default/clock/advance", #"{"by":"P1D"}"#),
        ("POST", "/_fakedep/worlds/default/faults", #"{"operation":"account"}"#),
    ]

    @Test(arguments: jsonRoutes.indices, simpleTypes)
    func aJSONRouteRefusesABodySentAsAFormOrPlainTextWith415(route: Int, type: String) async throws {
        let (method, path, body) = Self.jsonRoutes[route]
        try await TestServer.with { server in
            let before = try await Self.state(server)
            let response = try await Self.send(server, method, path, body: body, contentType: type)
            let problem = try PortalProblem(response)
            #expect(problem.status == 415, "\(method) \(path) as \(type): \(problem)")
            #expect(problem.error == "UNSUPPORTED_MEDIA_TYPE")
            #expect(problem.message.contains("application/json"))
            #expect(try await Self.state(server) == before)
        }
    }

    @Test func aJSONBodyWithoutAContentTypeIsRefused() async throws {
        try await TestServer.with { server in
            let body = #"{"name":"Forged"}"#
            let (_, response) = try await RawConnection.answered(
                "POST /portal/servers HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)",
                port: server.port)
            #expect(response.status == 415)
            #expect(try response.portalError() == "UNSUPPORTED_MEDIA_TYPE")
            #expect(try await server.world.listServers().isEmpty)
        }
    }

    @Test(arguments: ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF8"])
    func jsonWithOrWithoutParametersIsRead(type: String) async throws {
        try await TestServer.with { server in
            let response = try await Self.send(
                server, "POST", "/portal/servers", body: #"{"name":"Real"}"#, contentType: type)
            #expect(response.status == 201, "\(type): \(response.text)")
            #expect(try await server.world.listServers().map(\.name) == ["Real"])
        }
    }

    @Test func aBodilessActionIsRefusedWhenItCarriesAFormsTypeAndDoneWithout() async throws {
        try await TestServer.with { server in
            _ = try await server.send("POST", "/_fakedep/worlds/default/clock/freeze")
            let refused = try await Self.send(
                server, "POST", "/_fakedep/worlds/default/clock/unfreeze", body: nil,
                contentType: "application/x-www-form-urlencoded")
            #expect(refused.status == 415)
            #expect(try server.fakeWorld("default").clock.reading.frozen)
            let done = try await server.send("POST", "/_fakedep/worlds/default/clock/unfreeze")
            #expect(done.status == 200)
        }
    }

    @Test(arguments: ["text/csv", "text/csv; charset=utf-8", "application/octet-stream", "application/vnd.ms-excel"])
    func aCSVUploadIsReadInItsOwnType(type: String) async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Target")
            let serial = try await server.freeSerials(1)[0]
            let response = try await server.portal(
                "POST", "/servers/Target/devices/csv", body: Data("\(serial)\r\n".utf8), contentType: type)
            #expect(response.status == 200, "\(type): \(response.text)")
            #expect(try await server.inventoryRecord(serial).server == "Target")
        }
    }

    @Test(arguments: simpleTypes)
    func aCSVUploadSentAsAFormOrPlainTextIsRefused(type: String) async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Target")
            let serial = try await server.freeSerials(1)[0]
            let response = try await server.portal(
                "POST", "/servers/Target/devices/csv", body: Data("\(serial)\r\n".utf8), contentType: type)
            #expect(try PortalProblem(response).status == 415)
            #expect(try await server.inventoryRecord(serial).server == nil)
        }
    }

    @Test func aCertificateIsReadAsPEMAndRefusedAsAForm() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Keyed")
            let pem = Data(try TestKeyPair.shared.certificate.pem.utf8)
            let refused = try await server.portal(
                "PUT", "/servers/Keyed/certificate", body: pem, contentType: "application/x-www-form-urlencoded")
            #expect(try PortalProblem(refused).status == 415)
            #expect(try await server.world.showServer("Keyed").hasCertificate == false)
            let read = try await server.portal(
                "PUT", "/servers/Keyed/certificate", body: pem, contentType: "application/x-pem-file")
            #expect(read.status == 200, "\(read.text)")
            #expect(try await server.world.showServer("Keyed").hasCertificate)
        }
    }

    @Test func aSnapshotSentAsPlainTextIsRefusedAndAsOctetStreamIsLoaded() async throws {
        try await TestServer.with { server in
            let snapshot = try await server.send("GET", "/_fakedep/worlds/default/snapshot").body
            let refused = try await Self.send(
                server, "POST", "/_fakedep/worlds?tokens=drop", body: String(decoding: snapshot, as: UTF8.self),
                contentType: "text/plain")
            #expect(try PortalProblem(refused).status == 415)
            #expect(try await SnapshotTests.worldIDs(server) == ["default"])
            let loaded = try await Self.send(
                server, "POST", "/_fakedep/worlds?tokens=drop", body: String(decoding: snapshot, as: UTF8.self),
                contentType: "application/octet-stream")
            #expect(loaded.status == 201, "\(loaded.text)")
        }
    }

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "application/octet-stream"])
    func applesDEPAPIStillReadsABodyOfAnyType(type: String) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 2)
            let response = try await server.http.send(
                HTTPRequest(
                    method: "POST", url: server.baseURL + "/server/devices",
                    headers: [
                        (DEPHeader.authSession, linked.session.token), (DEPHeader.protocolVersion, "10"),
                        ("Content-Type", type),
                    ],
                    body: Data(#"{"limit":100}"#.utf8)))
            #expect(response.status == 200, "\(type): \(response.text)")
            #expect(try DEPJSON.decode(FetchDeviceResponse.self, from: response.body).devices?.count == 2)
        }
    }

    /// Sends `body` (if any) as `contentType`.
    static func send(_ server: TestServer, _ method: String, _ path: String, body: String?, contentType: String)
        async throws -> HTTPResponse
    {
        try await server.http.send(
            HTTPRequest(
                method: method, url: server.baseURL + path, headers: [("Content-Type", contentType)],
                body: body.map { Data($0.utf8) }))
    }

    /// What a forged request could change: the servers, the worlds, the clock, the faults.
    static func state(_ server: TestServer) async throws -> [String] {
        [
            try await server.send("GET", "/portal/servers").text,
            try await server.send("GET", "/_fakedep/worlds").text,
            try await server.send("GET", "/_fakedep/worlds/default/clock").text,
            try await server.send("GET", "/_fakedep/worlds/default/faults").text,
        ]
    }
}
