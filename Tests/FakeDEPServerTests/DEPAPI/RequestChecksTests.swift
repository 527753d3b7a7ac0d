import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// What every DEP call is checked for before it does anything (dep-api §2.6, §10.2), and the
/// shape of every answer (§6.2): JSON with Apple's content type on success, the bare code on
/// failure.
struct RequestChecksTests {
    // MARK: User-Agent

    @Test(arguments: SessionRoute.allCases)
    func aCallWithoutAUserAgentIsRefused(route: SessionRoute) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            // libcurl leaves out a header given with an empty value, its own User-Agent included.
            let response = try await server.http.send(
                route.request(server, session: linked.session.token, extraHeaders: [("User-Agent", "")]))
            #expect(response.answer == PlainAnswer(400, "USER_AGENT_MISSING"))
        }
    }

    @Test func aClientWithAnEmptyUserAgentSendsNoneAndIsRefused() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let anonymous = HTTPClient(userAgent: "")
            let account = try await anonymous.send(SessionRoute.account.request(server, session: linked.session.token))
            #expect(account.answer == PlainAnswer(400, "USER_AGENT_MISSING"))
            let session = try await anonymous.send(
                HTTPRequest(
                    method: "GET", url: server.baseURL + "/session",
                    headers: [("Authorization", try linked.enrolled.authorization(server))]))
            #expect(session.answer == PlainAnswer(400, "USER_AGENT_MISSING"))
            // The same request with a User-Agent passes.
            #expect(
                try await server.http.send(SessionRoute.account.request(server, session: linked.session.token)).status
                    == 200)
        }
    }

    @Test func aUserAgentOfOnlySpacesIsMissing() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let response = try await HTTPClient(userAgent: "   ").send(
                SessionRoute.account.request(server, session: linked.session.token))
            #expect(response.answer == PlainAnswer(400, "USER_AGENT_MISSING"))
        }
    }

    @Test func anOverlongUserAgentIsInvalid() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let longest = try await HTTPClient(userAgent: String(repeating: "a", count: 1024)).send(
                SessionRoute.account.request(server, session: linked.session.token))
            #expect(longest.status == 200)
            let overlong = try await HTTPClient(userAgent: String(repeating: "a", count: 1025)).send(
                SessionRoute.account.request(server, session: linked.session.token))
            #expect(overlong.answer == PlainAnswer(400, "USER_AGENT_INVALID"))
        }
    }

    // MARK: X-ADM-Auth-Session

    @Test(arguments: SessionRoute.allCases)
    func aCallWithoutASessionIsUnauthorized(route: SessionRoute) async throws {
        try await TestServer.with { server in
            let missing = try await server.http.send(route.request(server, session: nil))
            #expect(missing.answer == PlainAnswer(401, "UNAUTHORIZED"))
            let unknown = try await server.http.send(
                route.request(server, session: RequestChecksTests.unknownSession))
            #expect(unknown.answer == PlainAnswer(401, "UNAUTHORIZED"))
        }
    }

    @Test func headerNamesMatchWhateverTheirCase() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let response = try await server.send(
                "GET", "/account",
                headers: [("x-adm-auth-session", linked.session.token), ("x-server-protocol-version", "3")])
            #expect(response.status == 200)
            #expect(try DEPSession.object(response)["org_id"] != nil)
        }
    }

    // MARK: Bodies

    @Test(arguments: SessionRoute.allCases.filter(\.hasBody))
    func aBodyThatIsNotTheExpectedJSONIsMalformed(route: SessionRoute) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            for body in Self.malformedBodies {
                let response = try await server.http.send(
                    route.request(server, session: linked.session.token, body: body))
                #expect(response.answer == PlainAnswer(400, "MALFORMED_REQUEST_BODY"), "\(body)")
            }
        }
    }

    /// Not JSON, cut-off JSON, and JSON whose every known key has the wrong type.
    static let malformedBodies = [
        "not json", #"{"devices": "#, "[]",
        #"{"devices":42,"cursor":7,"limit":"ten","device":1,"profile_name":[],"mdm_service_discovery_url":{}}"#,
    ]

    /// A token in the shape of a session token that no session has.
    static let unknownSession =
        "1780000000000O1O" + String(repeating: "A", count: 20) + "O" + String(repeating: "B", count: 40)
        + "O" + String(repeating: "C", count: 40)

    @Test func aFetchWithoutABodyStartsFromTheBeginning() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 2)
            let response = try await linked.session.call("POST", "/server/devices")
            #expect(response.status == 200)
            let page = try DEPJSON.decode(FetchDeviceResponse.self, from: response.body)
            #expect(page.devices?.map(\.serialNumber) == linked.serials)
        }
    }

    // MARK: Methods and paths

    @Test(arguments: WrongMethod.allCases)
    func aWrongMethodIsNotAllowedWithAnEmptyBody(wrong: WrongMethod) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let response = try await linked.session.call(
                wrong.method, wrong.path, json: wrong.method == "GET" ? nil : "{}")
            #expect(response.status == 405)
            #expect(response.body.isEmpty)
            #expect(response.header("Allow") == wrong.allowed)
        }
    }

    @Test func anUnknownPathIsNotFound() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let response = try await linked.session.call("GET", "/no/such/endpoint")
            #expect(response.status == 404)
            #expect(response.body.isEmpty)
        }
    }

    // MARK: Answer shapes

    @Test(arguments: SessionRoute.allCases.filter(\.answersJSON))
    func aSuccessIsCompactJSONWithApplesContentType(route: SessionRoute) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            try await linked.session.setServiceDiscoveryURL()
            let profile = try await linked.session.defineProfile(#"{"profile_name":"P","url":"https://mdm.example/e"}"#)
            let response = try await server.http.send(
                route.request(
                    server, session: linked.session.token, serial: linked.serials[0], profile: profile.profileUUID))
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json;charset=UTF8")
            #expect(response.text.first == "{" && response.text.last == "}")
            #expect(!response.text.contains("\n") && !response.text.contains("\\/"))
            _ = try JSONSerialization.jsonObject(with: response.body)
        }
    }

    @Test func anErrorBodyIsTheBareCode() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let response = try await linked.session.sync(cursor: nil)
            #expect(response.status == 400)
            #expect(response.body == Data("CURSOR_REQUIRED".utf8))
            #expect(response.header("Content-Type") == "text/plain;charset=UTF8")
        }
    }
}

/// Every DEP endpoint but `/session`, with a request that would succeed given a session.
enum SessionRoute: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case account, fetch, sync, details, disown, defineProfile, getProfile, assignProfileWithPUT
    case assignProfileWithPOST, removeProfile, activationLock, replacementDetails, betaTokens
    case setServiceDiscovery, getServiceDiscovery, removeServiceDiscovery

    var testDescription: String { "\(method) \(path)" }

    var method: String {
        switch self {
        case .account, .getProfile, .replacementDetails, .betaTokens, .getServiceDiscovery: "GET"
        case .assignProfileWithPUT: "PUT"
        case .removeProfile, .removeServiceDiscovery: "DELETE"
        default: "POST"
        }
    }

    var path: String {
        switch self {
        case .account: "/account"
        case .fetch: "/server/devices"
        case .sync: "/devices/sync"
        case .details: "/devices"
        case .disown: "/devices/disown"
        case .defineProfile, .getProfile: "/profile"
        case .assignProfileWithPUT, .assignProfileWithPOST, .removeProfile: "/profile/devices"
        case .activationLock: "/device/activationlock"
        case .replacementDetails: "/device/replacementDetails"
        case .betaTokens: "/os-beta-enrollment/tokens"
        case .setServiceDiscovery, .getServiceDiscovery, .removeServiceDiscovery: "/account-driven-enrollment/profile"
        }
    }

    /// Whether the call reads a JSON body.
    var hasBody: Bool {
        switch self {
        case .fetch, .sync, .details, .disown, .defineProfile, .assignProfileWithPUT, .assignProfileWithPOST,
            .removeProfile, .activationLock, .setServiceDiscovery:
            true
        default: false
        }
    }

    /// Whether a success answers a JSON object (setting or removing the discovery URL answers nothing;
    /// the sync needs a cursor and replacement details a replacement device, tested elsewhere).
    var answersJSON: Bool {
        ![.setServiceDiscovery, .removeServiceDiscovery, .sync, .replacementDetails, .disown].contains(self)
    }

    /// The request, about `serial` and profile `profile` where it names them.
    func request(
        _ server: TestServer, session: String?, body: String? = nil, serial: String = TestServer.unknownSerial,
        profile: String = "00000000000000000000000000000000", extraHeaders: [(name: String, value: String)] = []
    ) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [(DEPHeader.protocolVersion, "10")]
        if let session { headers.append((DEPHeader.authSession, session)) }
        let json = body ?? defaultBody(serial: serial, profile: profile)
        if json != nil { headers.append(("Content-Type", DEPHeader.jsonContentType)) }
        var url = server.baseURL + path
        switch self {
        case .getProfile: url += "?profile_uuid=\(profile)"
        case .replacementDetails: url += "?device=\(serial)"
        default: break
        }
        return HTTPRequest(method: method, url: url, headers: headers + extraHeaders, body: json.map { Data($0.utf8) })
    }

    private func defaultBody(serial: String, profile: String) -> String? {
        switch self {
        case .fetch: "{}"
        case .sync: #"{"cursor":"MTAwOjA6MTc0NjMwNjExNTA1OQ"}"#
        case .details, .disown, .removeProfile: #"{"devices":["\#(serial)"]}"#
        case .defineProfile: #"{"profile_name":"Checks","url":"https://mdm.example/enroll"}"#
        case .assignProfileWithPUT, .assignProfileWithPOST: #"{"profile_uuid":"\#(profile)","devices":["\#(serial)"]}"#
        case .activationLock: #"{"device":"\#(serial)"}"#
        case .setServiceDiscovery:
            #"{"mdm_service_discovery_url":"https://mdm.example/.well-known/com.apple.remotemanagement"}"#
        default: nil
        }
    }
}

/// A method an endpoint does not have: 405 with an empty body (dep-api §6.1).
enum WrongMethod: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case postSession, postAccount, getFetch, putSync, getDetails, getDisown, deleteProfile, getProfileDevices
    case getActivationLock, postReplacementDetails, postBetaTokens, putServiceDiscovery

    var testDescription: String { "\(method) \(path)" }

    var method: String {
        switch self {
        case .postSession, .postAccount, .postReplacementDetails, .postBetaTokens: "POST"
        case .putSync, .putServiceDiscovery: "PUT"
        case .deleteProfile: "DELETE"
        default: "GET"
        }
    }

    var path: String {
        switch self {
        case .postSession: "/session"
        case .postAccount: "/account"
        case .getFetch: "/server/devices"
        case .putSync: "/devices/sync"
        case .getDetails: "/devices"
        case .getDisown: "/devices/disown"
        case .deleteProfile: "/profile"
        case .getProfileDevices: "/profile/devices"
        case .getActivationLock: "/device/activationlock"
        case .postReplacementDetails: "/device/replacementDetails"
        case .postBetaTokens: "/os-beta-enrollment/tokens"
        case .putServiceDiscovery: "/account-driven-enrollment/profile"
        }
    }

    /// The `Allow` header the refusal names.
    var allowed: String {
        switch self {
        case .postSession, .postAccount, .postReplacementDetails, .postBetaTokens: "GET"
        case .getFetch, .putSync, .getDetails, .getDisown, .getActivationLock: "POST"
        case .deleteProfile: "GET, POST"
        case .getProfileDevices: "POST, PUT, DELETE"
        case .putServiceDiscovery: "GET, POST, DELETE"
        }
    }
}

extension DEPSession {
    /// Sets an account-driven enrollment discovery URL that must be accepted.
    func setServiceDiscoveryURL(_ url: String = "https://mdm.example/.well-known/com.apple.remotemanagement")
        async throws
    {
        let response = try await call(
            "POST", "/account-driven-enrollment/profile",
            json: try DEPJSON.encodeString(AccountDrivenEnrollmentProfileRequest(mdmServiceDiscoveryURL: url)))
        guard response.status == 200 else { throw DEPError(status: response.status, body: response.text) }
    }
}
