import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import Foundation
import Hummingbird
import Testing

@testable import FakeDEPServer

/// `GET /_fakedep/openapi.json`: a valid OpenAPI 3.1 document that lists exactly the control
/// routes the server registers and describes the answers it really gives.
struct OpenAPIRoutesTests {
    @Test func theServedDocumentIsValidOpenAPIOfThisVersion() async throws {
        try await TestServer.with { server in
            let served = try await server.send("GET", "/_fakedep/openapi.json")
            #expect(served.status == 200)
            #expect(served.header("Content-Type") == "application/json")
            #expect(served.body == (try OpenAPIDocument.served.get()))
            #expect(try DocumentedAPI(served.body).version == FakeDEPVersion.current)

            try await ScratchDirectory.with { directory in
                let file = directory.appendingPathComponent("openapi.json")
                try served.body.write(to: file)
                let outcome = try await ChildProcess.run(
                    URL(fileURLWithPath: "/usr/bin/env"),
                    ["python3", "-m", "openapi_spec_validator", "--schema", "3.1", file.path], in: directory)
                #expect(outcome.status == 0, "openapi-spec-validator refused the document:\n\(outcome)")
            }
        }
    }

    /// Every surface but the web portal's HTML pages, which the document leaves out (it says so).
    @Test func theDocumentListsEveryRouteTheServerRegistersAndNoOther() async throws {
        let worlds = WorldRegistry(defaultWorld: try await World(databasePath: ":memory:"))
        let router = makeRouter(worlds: worlds, configuration: FakeDEPConfiguration())
        let registered = Set(
            router.routes.filter { !WebRoutes.isWebPath("\($0.path)") }.map { "\($0.method) \($0.path)" })
        let documented = try DocumentedAPI(try OpenAPIDocument.served.get()).operations

        #expect(registered.contains("POST /server/devices") && registered.contains("GET /v1/orgDevices"))
        let undocumented = registered.subtracting(documented).sorted()
        let unregistered = documented.subtracting(registered).sorted()
        #expect(
            undocumented.isEmpty && unregistered.isEmpty,
            """
            Resources/OpenAPI/ and the routes the server registers differ.
            Registered but not documented: \(undocumented.isEmpty ? "none" : undocumented.joined(separator: ", ")).
            Documented but not registered: \(unregistered.isEmpty ? "none" : unregistered.joined(separator: ", ")).
            """)
    }

    /// Each surface is a file of its own; one that names a path another already names is refused,
    /// rather than one of the two quietly winning.
    @Test func partsThatNameTheSamePathAreNotMerged() async throws {
        try await ScratchDirectory.with { directory in
            let bundled = try #require(OpenAPIDocument.directory)
            for name in ["fakedep"] + OpenAPIDocument.surfaces {
                try Data(contentsOf: bundled.appendingPathComponent("\(name).json"))
                    .write(to: directory.appendingPathComponent("\(name).json"))
            }
            #expect(try OpenAPIDocument.merged(from: directory) == (try OpenAPIDocument.served.get()))

            try Data(#"{"paths": {"/session": {}}}"#.utf8).write(to: directory.appendingPathComponent("device.json"))
            #expect(throws: OpenAPIDocument.MergeError.self) { try OpenAPIDocument.merged(from: directory) }
        }
    }

    @Test func answersMatchTheSchemasTheDocumentGivesThem() async throws {
        try await TestServer.with { server in
            // Journal entries of every kind, and a token that expires within a year.
            let enrolled = try await EnrolledServer.make(server, name: "Documented MDM")
            _ = try await DEPSession(server, enrolled).call("GET", "/account")
            _ = try await server.send("GET", "/account", headers: [(DEPHeader.authSession, "1O1OUNKNOWN")])
            _ = try await server.portal("GET", "/servers/Nobody", body: nil, contentType: "application/json")
            // A request a fault rule answers, so that an entry names the rule.
            let rule = try await server.send(
                "POST", "/_fakedep/worlds/default/faults",
                json: #"{"operation":"portal_list_orders","error":{"status":503}}"#)
            #expect(rule.status == 201, "\(rule.text)")
            #expect(try await server.portal("GET", "/orders").status == 503)

            let created = try await server.send(
                "POST", "/_fakedep/worlds", json: #"{"name": "documented", "seed": {"devices": 3, "seed": 7}}"#)
            let id = try DEPJSON.decode(WorldSummary.self, from: created.body).id
            let world = "/_fakedep/worlds/{world}"
            let exchanges: [Exchange] = [
                Exchange("GET", "/_fakedep/health", 200),
                Exchange("GET", "/_fakedep/openapi.json", 200),
                Exchange("POST", "/_fakedep/worlds", 201),
                Exchange("POST", "/_fakedep/worlds", json: #"{"seed": "everything"}"#, 400),
                Exchange("GET", "/_fakedep/worlds", 200),
                Exchange("GET", "/_fakedep/worlds/\(id)", as: world, 200),
                Exchange("GET", "/_fakedep/worlds/nowhere", as: world, 404),
                Exchange("DELETE", "/_fakedep/worlds/default", as: world, 400),
                Exchange("POST", "/_fakedep/worlds/\(id)/reset", as: world + "/reset", 200),
                Exchange("GET", "/_fakedep/worlds/default/clock", as: world + "/clock", 200),
                Exchange("GET", "/_fakedep/worlds/default/clock?note=%01", as: world + "/clock", 400),
                Exchange(
                    "POST", "/_fakedep/worlds/default/clock/advance", as: world + "/clock/advance",
                    json: #"{"by": "P366D"}"#, 200),
                Exchange(
                    "POST", "/_fakedep/worlds/default/clock/advance", as: world + "/clock/advance",
                    json: #"{"by": "a fortnight"}"#, 400),
                Exchange(
                    "PUT", "/_fakedep/worlds/default/clock", as: world + "/clock",
                    json: #"{"now": "2020-01-01T00:00:00Z"}"#, 400),
                Exchange("POST", "/_fakedep/worlds/default/clock/freeze", as: world + "/clock/freeze", 200),
                Exchange("POST", "/_fakedep/worlds/default/clock/unfreeze", as: world + "/clock/unfreeze", 200),
                Exchange("GET", "/_fakedep/worlds/default/journal", as: world + "/journal", 200),
                Exchange("GET", "/_fakedep/worlds/default/journal?status=4xx&limit=1", as: world + "/journal", 200),
                Exchange("GET", "/_fakedep/worlds/default/journal?status=teapot", as: world + "/journal", 400),
                Exchange("GET", "/_fakedep/worlds/nowhere/journal", as: world + "/journal", 404),
                Exchange(
                    "GET", "/_fakedep/worlds/default/journal/count?operation=account", as: world + "/journal/count",
                    200),
                Exchange(
                    "POST", "/_fakedep/worlds/default/journal/wait", as: world + "/journal/wait",
                    json: #"{"count": 1, "timeout_seconds": 0, "status": "4xx"}"#, 200),
                Exchange(
                    "POST", "/_fakedep/worlds/default/faults", as: world + "/faults",
                    json: #"{"operation":"fetch_devices","times":2,"error":{"status":503,"retry_after":5}}"#, 201),
                Exchange(
                    "POST", "/_fakedep/worlds/default/faults", as: world + "/faults",
                    json: #"{"operation":"fetch_devices","nth":1,"times":2,"error":{"status":503}}"#, 400),
                Exchange("GET", "/_fakedep/worlds/default/faults", as: world + "/faults", 200),
                Exchange("GET", "/_fakedep/worlds/nowhere/faults", as: world + "/faults", 404),
                Exchange("DELETE", "/_fakedep/worlds/default/faults/f9", as: world + "/faults/{fault}", 404),
                Exchange(
                    "POST", "/_fakedep/worlds/default/faults", as: world + "/faults",
                    json: #"{"operation":"fetch_devices","after":1,"times":2,"error":{"status":429}}"#, 201),
                Exchange(
                    "POST", "/_fakedep/worlds/default/faults", as: world + "/faults",
                    json: #"{"operation":"assign_profile","misbehaviour":"hidden_throttled"}"#, 201),
                Exchange(
                    "POST", "/_fakedep/worlds",
                    json:
                        #"{"name":"scripted","scenario":{"inventory":{"devices":5},"servers":[{"name":"S","devices":2}]}}"#,
                    201),
                Exchange(
                    "POST", "/_fakedep/worlds", json: #"{"scenario":{"servers":[{"name":"S","devices":"all"}]}}"#, 400),
            ]

            let document = try DocumentedAPI(try OpenAPIDocument.served.get())
            var answers: [(schema: String, json: Data)] = []
            for exchange in exchanges {
                let answer = try await server.send(exchange.method, exchange.path, json: exchange.json)
                let what = "\(exchange.method) \(exchange.path)"
                #expect(answer.status == exchange.status, "\(what) answered \(answer.status): \(answer.text)")
                #expect(answer.header("Content-Type") == "application/json", "\(what)")
                answers.append(
                    (
                        try document.responseSchema(exchange.method, exchange.documented, status: answer.status),
                        answer.body
                    ))
            }
            #expect(
                answers.contains { String(decoding: $0.json, as: UTF8.self).contains(#""kind":"token_expired""#) },
                "the clock moved past the token's expiry, so a due event's schema is checked too")
            #expect(
                answers.contains {
                    String(decoding: $0.json, as: UTF8.self).contains(#""fault":"f1: error 503 Service Unavailable""#)
                },
                "a fault rule answered a portal request, so a journal entry with a fault is checked too")

            #expect(answers.contains { String(decoding: $0.json, as: UTF8.self).contains(#""seed":"scenario""#) })
            // The shipped scenarios are documents the schema describes.
            for name in Scenario.shippedNames {
                answers.append(("/components/schemas/Scenario", try Scenario.shipped(name).json()))
            }

            try await ScratchDirectory.with { directory in
                let file = directory.appendingPathComponent("openapi.json")
                try OpenAPIDocument.served.get().write(to: file)
                try SchemaValidator.validate(answers, in: file)
            }
        }
    }

    /// Answers of Apple's surfaces and the portal, validated against the schemas the document
    /// gives them: the DEP API's, a managed and an unmanaged device's boot, the ABM API's.
    @Test func answersOfEverySurfaceMatchTheirSchemas() async throws {
        try await TestServer.with { server in
            let (linked, _) = try await DeviceBootTests.serverWithProfile(server, devices: 2)
            let (managed, unmanaged) = (linked.serials[0], linked.serials[1])
            let abm = [("Authorization", "Bearer \(try await server.abmBearer())"), ("Accept", "application/json")]
            let exchanges: [(String, String, DEPSync.HTTPResponse)] = [
                ("GET", "/account", try await linked.session.call("GET", "/account")),
                ("POST", "/server/devices", try await linked.session.call("POST", "/server/devices", json: "{}")),
                (
                    "POST", "/devices",
                    try await linked.session.call(
                        "POST", "/devices", json: #"{"devices":["\#(managed)","C02NOSUCHSER1"]}"#)
                ),
                ("POST", "/device/boot/{serial}", try await server.send("POST", "/device/boot/\(managed)")),
                ("POST", "/device/boot/{serial}", try await server.send("POST", "/device/boot/\(unmanaged)")),
                (
                    "GET", "/device/machine-info/{serial}",
                    try await server.send("GET", "/device/machine-info/\(managed)")
                ),
                ("GET", "/portal/servers", try await server.send("GET", "/portal/servers")),
                ("GET", "/portal/devices", try await server.send("GET", "/portal/devices?limit=3")),
                ("GET", "/v1/orgDevices", try await server.send("GET", "/v1/orgDevices?limit=2", headers: abm)),
                ("GET", "/v1/mdmServers", try await server.send("GET", "/v1/mdmServers", headers: abm)),
            ]
            let document = try DocumentedAPI(try OpenAPIDocument.served.get())
            var answers: [(schema: String, json: Data)] = []
            for (method, documented, answer) in exchanges {
                #expect(answer.status == 200, "\(method) \(documented) answered \(answer.status): \(answer.text)")
                answers.append((try document.responseSchema(method, documented, status: answer.status), answer.body))
            }
            try await ScratchDirectory.with { directory in
                let file = directory.appendingPathComponent("openapi.json")
                try OpenAPIDocument.served.get().write(to: file)
                try SchemaValidator.validate(answers, in: file)
            }
        }
    }

    /// With an admin token, every operation of the portal and test control but those the document
    /// marks open answers 401 without it, in the shape the document gives its 401; Apple's
    /// surfaces, which name credentials of their own, do not ask for it.
    @Test func everyOperationButTheOpenOnesDocumentsTheAdminTokensRefusal() async throws {
        try await TestServer.with(adminToken: "documented-token") { server in
            let document = try DocumentedAPI(try OpenAPIDocument.served.get())
            var answers: [(schema: String, json: Data)] = []
            for operation in document.operations.sorted() {
                let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
                let (method, documented) = (parts[0], parts[1])
                // `default` for a world, a made-up name for anything else.
                let path = documented.split(separator: "/", omittingEmptySubsequences: false).map {
                    $0 == "{world}" ? "default" : $0.hasPrefix("{") ? "f1" : $0
                }.joined(separator: "/")
                let answer = try await server.send(method, path)
                guard document.asksForAdminToken(method, documented) else {
                    if document.isOpen(method, documented) {
                        #expect(answer.status != 401, "\(operation) is documented as open")
                    }
                    continue
                }
                #expect(answer.status == 401, "\(operation) answered \(answer.status): \(answer.text)")
                #expect(answer.header("WWW-Authenticate") == "Bearer", "\(operation)")
                #expect(document.lists(method, documented, status: 401), "\(operation) does not list its 401")
                answers.append((try document.responseSchema(method, documented, status: 401), answer.body))
            }
            #expect(answers.count > 15)
            try await ScratchDirectory.with { directory in
                let file = directory.appendingPathComponent("openapi.json")
                try OpenAPIDocument.served.get().write(to: file)
                try SchemaValidator.validate(answers, in: file)
            }
        }
    }
}

/// One request of the schema test, the path the document lists it under, and the status expected.
private struct Exchange {
    let method: String
    let path: String
    let documented: String
    let json: String?
    let status: Int

    init(_ method: String, _ path: String, as documented: String? = nil, json: String? = nil, _ status: Int) {
        self.method = method
        self.path = path
        self.documented = documented ?? path
        self.json = json
        self.status = status
    }
}
