import DEPCrypto
import DEPSync
import DEPWire
import Foundation
import Synchronization
import Testing

/// The API client's credentials: the assertion and token cached in the store across clients,
/// renewed before they expire, and one new token on a 401.
struct ABMClientTests {
    static let tokenPath = "/auth/oauth2/v2/token"
    static let serversPath = "/v1/mdmServers"

    @Test func aTokenIsMintedOnceAndKeptForTheNextClient() async throws {
        let fixture = try Fixture()
        await fixture.transport.answer(Self.serversPath, always: try Self.servers())
        await fixture.transport.enqueue(Self.tokenPath, [try Self.token("token-1")])

        _ = try await fixture.client().servers()
        _ = try await fixture.client().servers()

        #expect(await fixture.transport.requests(to: Self.tokenPath).count == 1)
        let bearers = await fixture.transport.requests(to: Self.serversPath).map { $0.header("Authorization") }
        #expect(bearers == ["Bearer token-1", "Bearer token-1"])
        #expect(
            await fixture.transport.requests(to: Self.serversPath).allSatisfy {
                $0.header("Accept") == "application/json"
            })
    }

    @Test func theAssertionIsSignedForTheAccountAndReusedUntilADayIsLeft() async throws {
        let fixture = try Fixture()
        await fixture.transport.answer(Self.serversPath, always: try Self.servers())
        await fixture.transport.enqueue(
            Self.tokenPath, [try Self.token("token-1"), try Self.token("token-2"), try Self.token("token-3")])

        _ = try await fixture.client().servers()
        // A minute before the hour is up the token is renewed, with the same assertion.
        fixture.clock.advance(3600 - 59)
        _ = try await fixture.client().servers()
        // With less than a day of its 30 left, the assertion is signed anew.
        fixture.clock.advance(29 * 86_400 + 1)
        _ = try await fixture.client().servers()

        let assertions = try await fixture.transport.requests(to: Self.tokenPath).map { request in
            let form = try TokenRequest(form: String(decoding: request.body ?? Data(), as: UTF8.self))
            #expect(form.clientID == Fixture.clientID && form.scope == "business.api")
            return form.clientAssertion
        }
        #expect(assertions.count == 3)
        #expect(assertions[0] == assertions[1])
        #expect(assertions[1] != assertions[2])
        let jwt = try JWT(compact: assertions[0])
        #expect(jwt.header == JWT.Header(kid: Fixture.keyID))
        let publicKey = try fixture.key.publicKey
        #expect(ES256.isValidSignature(jwt.signature, of: jwt.signingInput, by: publicKey))
        let claims = try jwt.claims(ClientAssertionClaims.self)
        #expect(claims.sub == Fixture.clientID && claims.iss == Fixture.clientID)
        #expect(claims.aud == ["https://account.apple.com/auth/oauth2/v2/token"])
        #expect(claims.exp - claims.iat == 30 * 86_400)
        let bearers = await fixture.transport.requests(to: Self.serversPath).map { $0.header("Authorization") }
        #expect(bearers == ["Bearer token-1", "Bearer token-2", "Bearer token-3"])
    }

    @Test func a401MintsANewTokenAndSendsTheRequestOnceMore() async throws {
        let fixture = try Fixture()
        await fixture.transport.enqueue(Self.tokenPath, [try Self.token("token-1"), try Self.token("token-2")])
        await fixture.transport.enqueue(Self.serversPath, [Self.notAuthorized(), try Self.servers()])

        let servers = try await fixture.client().servers()

        #expect(servers.map(\.id) == ["7C1E0D5B2A3F4E6D8B9A0C1D2E3F4A5B"])
        let bearers = await fixture.transport.requests(to: Self.serversPath).map { $0.header("Authorization") }
        #expect(bearers == ["Bearer token-1", "Bearer token-2"])
        // The new token is the one kept for the next run.
        _ = try await fixture.client().accessToken()
        #expect(await fixture.transport.requests(to: Self.tokenPath).count == 2)
        #expect(try await fixture.store.abmCredentials(clientID: Fixture.clientID)?.accessToken == "token-2")
    }

    @Test func a401WithATokenJustMintedIsNotRetriedAgain() async throws {
        let fixture = try Fixture()
        await fixture.transport.enqueue(Self.tokenPath, [try Self.token("token-1"), try Self.token("token-2")])
        await fixture.transport.answer(Self.serversPath, always: Self.notAuthorized())

        await #expect {
            _ = try await fixture.client().servers()
        } throws: { error in
            guard case ABMClientError.unauthorized = error else { return false }
            return "\(error)".contains("The access token expired")
        }
        #expect(await fixture.transport.requests(to: Self.serversPath).count == 2)
    }

    @Test func aRefusalOfTheTokenEndpointSaysWhatItSaid() async throws {
        let fixture = try Fixture()
        await fixture.transport.enqueue(
            Self.tokenPath,
            [
                try .json(
                    OAuth2Error(.invalidClient, "The client assertion's kid \"x\" is not the key id."), status: 401)
            ])

        await #expect {
            _ = try await fixture.client().servers()
        } throws: { error in
            "\(error)".contains("(401 invalid_client): The client assertion's kid \"x\" is not the key id.")
        }
        #expect(await fixture.transport.requests(to: Self.serversPath).isEmpty)
    }

    @Test func aThrottledTokenRequestWaitsAsTold() async throws {
        let fixture = try Fixture()
        await fixture.transport.enqueue(
            Self.tokenPath,
            [
                try .json(OAuth2Error(.invalidRequest, "Too many."), status: 429, headers: [("Retry-After", "7")]),
                try Self.token("token-1"),
            ])
        await fixture.transport.answer(Self.serversPath, always: try Self.servers())
        var options = ABMClient.Options()
        options.retry.maxAttempts = 2
        let sleeps = SleepLog()

        _ = try await fixture.client(options: options, sleeps: sleeps).servers()

        #expect(await sleeps.delays == [7])
    }

    // MARK: Replies

    static func token(_ value: String) throws -> ScriptedReply {
        try .json(TokenResponse(accessToken: value, expiresIn: 3600, scope: "business.api"))
    }

    static func servers() throws -> ScriptedReply {
        try .json(
            ABMListDocument(
                data: [MdmServer(id: "7C1E0D5B2A3F4E6D8B9A0C1D2E3F4A5B", attributes: .init(serverName: "Lab"))],
                links: PagedDocumentLinks(self: "https://api-business.apple.com/v1/mdmServers"),
                meta: PagingInformation(limit: 1000)))
    }

    static func notAuthorized() -> ScriptedReply {
        .status(
            401,
            #"{"errors":[{"status":"401","code":"NOT_AUTHORIZED","title":"Authentication credentials are missing or invalid.","detail":"The access token expired."}]}"#
        )
    }
}

/// A client of one API account over a scripted transport, an in-memory store and a clock the
/// test moves.
private struct Fixture {
    static let clientID = "BUSINESSAPI.0B7C3E52-5D1F-4A8E-9C0B-6F4D2E1A7B90"
    static let keyID = "5b2d8c1e-9a44-4c61-8f0e-2a7f0c9d1b36"

    let transport = ScriptedTransport(issuingSessions: false)
    let store: LocalStore
    let key: ECPrivateKey
    let clock = MovableClock(Date(timeIntervalSince1970: 1_780_000_000))

    init() throws {
        store = try LocalStore(path: ":memory:")
        key = try ECPrivateKey.generateP256()
    }

    /// A new client, as a new run of depsync makes.
    func client(options: ABMClient.Options = ABMClient.Options(), sleeps: SleepLog = SleepLog()) throws -> ABMClient {
        ABMClient(
            account: try ABMAccount(clientID: Self.clientID, keyID: Self.keyID), key: key, store: store,
            transport: transport, options: options, now: { [clock] in clock.now },
            sleep: { await sleeps.record($0) }, jitter: { 0 })
    }
}

/// A clock that moves only when told.
final class MovableClock: Sendable {
    private let time: Mutex<Date>

    init(_ start: Date) { time = Mutex(start) }

    var now: Date { time.withLock { $0 } }

    func advance(_ seconds: TimeInterval) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
