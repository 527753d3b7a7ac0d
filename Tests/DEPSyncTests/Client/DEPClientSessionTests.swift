import DEPSync
import DEPWire
import Foundation
import Testing

/// How `DEPClient` opens, reuses, renews and adopts sessions (dep-api §2), and how it types
/// the refusals of `/session` and of the calls a session carries.
@Suite struct DEPClientSessionTests {
    private let account = AccountDetail(serverName: "Test MDM", serverUUID: "0123456789ABCDEF0123456789ABCDEF")

    private func page(_ cursor: String) -> FetchDeviceResponse {
        FetchDeviceResponse(devices: [], fetchedUntil: ScriptedClient.now, moreToFollow: false, cursor: cursor)
    }

    @Test func theFirstCallOpensASessionSignedWithTheServerToken() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.answer("/account", always: try .json(account))

        let answer = try await scripted.client.account()

        #expect(answer == account)
        let requests = await scripted.transport.requests
        #expect(requests.map(\.path) == ["/session", "/account"])
        let session = requests[0]
        #expect(session.method == "GET")
        #expect(session.url == ScriptedClient.baseURL + "/session")
        #expect(session.header(DEPHeader.authSession) == nil)
        #expect(session.header(DEPHeader.protocolVersion) == "10")
        let authorization = try #require(session.header("Authorization"))
        #expect(authorization.hasPrefix("OAuth "))
        for name in ["oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_timestamp", "oauth_nonce"] {
            #expect(authorization.contains("\(name)=\""))
        }
        let parameters = try OAuthHeader.parse(authorization)
        #expect(parameters.consumerKey == ScriptedClient.tokens.consumerKey)
        #expect(parameters.token == ScriptedClient.tokens.accessToken)
        #expect(parameters.signatureMethod == OAuthParameters.hmacSHA1)
        #expect(parameters.timestampDate == ScriptedClient.now)
        #expect(!parameters.nonce.isEmpty)
        #expect(
            OAuthSignature.verify(
                method: "GET", url: OAuthSignature.sessionURL(baseURL: ScriptedClient.baseURL),
                parameters: parameters, consumerSecret: ScriptedClient.tokens.consumerSecret,
                accessSecret: ScriptedClient.tokens.accessSecret))
    }

    @Test func callsCarryTheSessionAndTheProtocolVersionButNoAuthorization() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.answer("/account", always: try .json(account))

        _ = try await scripted.client.account()

        let call = try #require(await scripted.transport.requests(to: "/account").first)
        #expect(call.method == "GET")
        #expect(call.header(DEPHeader.authSession) == "session-1")
        #expect(call.header(DEPHeader.protocolVersion) == "10")
        #expect(call.header("Authorization") == nil)
    }

    @Test func concurrentCallsShareTheSessionBeingOpened() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.answer("/account", always: try .json(account))

        try await withThrowingTaskGroup(of: AccountDetail.self) { group in
            for _ in 0..<8 { group.addTask { try await scripted.client.account() } }
            for try await answer in group { #expect(answer == account) }
        }

        #expect(await scripted.transport.requests(to: "/session").count == 1)
        #expect(await scripted.client.sessionsOpened == 1)
    }

    @Test func oneSessionServesManyCalls() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.answer("/account", always: try .json(account))
        await scripted.transport.answer("/server/devices", always: try .json(page("c1")))

        _ = try await scripted.client.account()
        _ = try await scripted.client.fetchDevices(cursor: nil, limit: 10)
        _ = try await scripted.client.account()

        #expect(await scripted.transport.requests(to: "/session").count == 1)
        #expect(await scripted.client.sessionsOpened == 1)
        let sessions = await scripted.transport.requests.dropFirst().map { $0.header(DEPHeader.authSession) }
        #expect(sessions == ["session-1", "session-1", "session-1"])
    }

    @Test(arguments: [(401, "UNAUTHORIZED"), (401, ""), (403, "FORBIDDEN"), (403, "\"FORBIDDEN\"\r\n")])
    func aForgottenSessionIsRenewedOnceAndTheRequestReplayed(status: Int, body: String) async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue("/server/devices", [.status(status, body), try .json(page("c2"))])

        let answer = try await scripted.client.fetchDevices(cursor: "c1", limit: 5)

        #expect(answer.cursor == "c2")
        let requests = await scripted.transport.requests
        #expect(requests.map(\.path) == ["/session", "/server/devices", "/session", "/server/devices"])
        let calls = requests.filter { $0.path == "/server/devices" }
        #expect(calls.map { $0.header(DEPHeader.authSession) } == ["session-1", "session-2"])
        #expect(calls[0].method == calls[1].method)
        #expect(calls[0].body != nil)
        #expect(calls[0].body == calls[1].body)
        #expect(try calls[1].decodedBody(FetchDeviceRequest.self) == FetchDeviceRequest(cursor: "c1", limit: 5))
        #expect(await scripted.client.sessionsOpened == 2)
    }

    @Test func aRenewedSessionIsKeptForTheCallsThatFollow() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue("/account", [.status(401, "UNAUTHORIZED")])
        await scripted.transport.answer("/account", always: try .json(account))

        _ = try await scripted.client.account()
        _ = try await scripted.client.account()

        let calls = await scripted.transport.requests(to: "/account")
        #expect(calls.map { $0.header(DEPHeader.authSession) } == ["session-1", "session-2", "session-2"])
        #expect(await scripted.client.sessionsOpened == 2)
    }

    @Test(arguments: [(401, "UNAUTHORIZED"), (403, "FORBIDDEN")])
    func aSecondRefusalRightAfterRenewalIsUnauthorized(status: Int, body: String) async throws {
        let scripted = ScriptedClient()
        await scripted.transport.answer("/account", always: .status(status, body))

        let error = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(error?.kind == .unauthorized(status: status))
        #expect(error?.isTransient == false)
        #expect(await scripted.transport.paths == ["/session", "/account", "/session", "/account"])
        #expect(await scripted.sleeps.delays.isEmpty)
    }

    @Test(arguments: [("ACCESS_DENIED", ErrorKind.accessDenied), ("T_C_NOT_SIGNED", .termsNotSigned)])
    func accessDeniedAndTermsNotSignedAreNotRetried(body: String, kind: ErrorKind) async throws {
        let scripted = ScriptedClient()
        await scripted.transport.answer("/account", always: .status(403, body))

        let error = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(error?.kind == kind)
        #expect(error?.isTransient == false)
        #expect(await scripted.transport.paths == ["/session", "/account"])
        #expect(await scripted.client.sessionsOpened == 1)
    }

    @Test(arguments: ["X-ADM-Auth-Session", "X-Adm-Auth-Session", "x-adm-auth-session"])
    func aRotatedSessionTokenIsUsedOnTheNextCall(headerName: String) async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue("/account", [try .json(account, headers: [(headerName, "rotated-1")])])
        await scripted.transport.answer("/account", always: try .json(account))

        _ = try await scripted.client.account()
        _ = try await scripted.client.account()
        _ = try await scripted.client.account()

        let calls = await scripted.transport.requests(to: "/account")
        #expect(calls.map { $0.header(DEPHeader.authSession) } == ["session-1", "rotated-1", "rotated-1"])
        #expect(await scripted.client.sessionsOpened == 1)
    }

    @Test func anEmptyRotatedHeaderIsIgnored() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue("/account", [try .json(account, headers: [(DEPHeader.authSession, "")])])
        await scripted.transport.answer("/account", always: try .json(account))

        _ = try await scripted.client.account()
        _ = try await scripted.client.account()

        let calls = await scripted.transport.requests(to: "/account")
        #expect(calls.map { $0.header(DEPHeader.authSession) } == ["session-1", "session-1"])
    }

    @Test(arguments: [-1.0, 0])
    func anExpiredTokenFailsWithoutSendingAnything(secondsFromNow: Double) async throws {
        var tokens = ScriptedClient.tokens
        tokens.accessTokenExpiry = ScriptedClient.now.addingTimeInterval(secondsFromNow)
        let scripted = ScriptedClient(tokens: tokens)

        let error = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(error?.kind == .tokenExpired(tokens.accessTokenExpiry))
        #expect(await scripted.transport.requests.isEmpty)
    }

    @Test func aTokenTheServiceCallsExpiredIsExpiredWhateverTheAgentsClockSays() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue("/session", [.status(401, "oauth_problem=token_expired")])

        let error = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(error?.kind == .tokenExpired(ScriptedClient.tokens.accessTokenExpiry))
        #expect(error?.isTransient == false)
        #expect(await scripted.transport.paths == ["/session"])
    }

    @Test(arguments: [
        (401, "oauth_problem=token_rejected"), (401, "oauth_problem=token_rejected&oauth_problem_advice=replaced"),
        (401, "UNAUTHORIZED"), (400, ""), (403, "oauth_problem=signature_invalid"), (403, "FORBIDDEN"),
        (405, ""),
    ])
    func sessionRefusalsAreTheTokensFault(status: Int, body: String) async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue("/session", [.status(status, body)])

        let error = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(error?.kind == .tokenRejected(status: status))
        #expect(error?.isTransient == false)
        #expect(await scripted.transport.paths == ["/session"])
        #expect(await scripted.client.sessionsOpened == 0)
    }

    @Test(arguments: [("T_C_NOT_SIGNED", ErrorKind.termsNotSigned), ("ACCESS_DENIED", .accessDenied)])
    func sessionRefusalsForTheOrganisationKeepTheirMeaning(body: String, kind: ErrorKind) async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue("/session", [.status(403, body)])

        let error = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(error?.kind == kind)
        #expect(await scripted.transport.paths == ["/session"])
    }

    @Test func aSessionAnswerWithoutATokenIsMalformed() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue("/session", [.status(200, "{}")])

        let error = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(error?.kind == .malformedResponse(path: "/session"))
    }
}
