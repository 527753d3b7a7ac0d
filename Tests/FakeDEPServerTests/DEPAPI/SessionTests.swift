import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `GET /session`: OAuth 1.0a verification and its refusals (dep-api §2.1, §2.5), and how long a
/// session lives and what it sees (§2.3, §2.4).
struct SessionTests {
    // MARK: Opening a session

    @Test func aSignedRequestOpensASessionForItsServer() async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll("Session MDM")
            let response = try await server.send(
                "GET", "/session", headers: [("Authorization", try enrolled.authorization(server))])
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == DEPHeader.jsonContentType)
            let token = try DEPJSON.decode(SessionResponse.self, from: response.body).authSessionToken
            // Epoch milliseconds, then upper-case hex runs joined by `O` (§2.2).
            #expect(token.wholeMatch(of: /[0-9]{13}O1O[0-9A-F]{20}O[0-9A-F]{40}O[0-9A-F]{40}/) != nil)
            #expect(token.hasPrefix(String(Int64(TestServer.start.timeIntervalSince1970 * 1000))))

            let account = try await server.send(
                "GET", "/account", headers: [(DEPHeader.authSession, token), (DEPHeader.protocolVersion, "10")])
            #expect(account.status == 200)
            let detail = try DEPJSON.decode(AccountDetail.self, from: account.body)
            #expect(detail.serverName == "Session MDM")
            #expect(detail.serverUUID == enrolled.uuid)
        }
    }

    @Test func theRealmParameterIsAcceptedAndNotSigned() async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll()
            let authorization = try enrolled.tokens.sessionAuthorization(
                baseURL: server.baseURL, timestamp: server.clock.now, nonce: "0123456789abcdef", realm: "ADM")
            #expect(authorization.hasPrefix(#"OAuth realm="ADM", "#))
            let response = try await server.send("GET", "/session", headers: [("Authorization", authorization)])
            #expect(response.status == 200)
        }
    }

    @Test func aRequestWithoutTheOptionalVersionIsAccepted() async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll()
            let tokens = enrolled.tokens
            var parameters = OAuthParameters(
                consumerKey: tokens.consumerKey, token: tokens.accessToken, timestamp: server.clock.now,
                nonce: "no-version")
            parameters.version = nil
            parameters.signature = try OAuthSignature.sign(
                method: "GET", url: server.baseURL + "/session", parameters: parameters,
                consumerSecret: tokens.consumerSecret, accessSecret: tokens.accessSecret)
            let header = OAuthHeader.format(parameters)
            #expect(!header.contains("oauth_version"))
            let response = try await server.send("GET", "/session", headers: [("Authorization", header)])
            #expect(response.status == 200)
        }
    }

    @Test func everySessionIsADifferentToken() async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll()
            let first = try await enrolled.openSession(server)
            let second = try await enrolled.openSession(server)
            #expect(first != second)
        }
    }

    // MARK: 400: the request is not proper OAuth

    @Test func aRequestWithoutAuthorizationIsRefused() async throws {
        try await TestServer.with { server in
            _ = try await server.enroll()
            let response = try await server.send("GET", "/session")
            #expect(response.answer == PlainAnswer(400, "oauth_problem=parameter_absent"))
        }
    }

    @Test(arguments: MalformedAuthorization.allCases)
    func aMalformedAuthorizationIsABadRequest(mistake: MalformedAuthorization) async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll()
            let header = mistake.apply(to: try enrolled.authorization(server))
            let response = try await server.send("GET", "/session", headers: [("Authorization", header)])
            #expect(response.answer == PlainAnswer(400, "oauth_problem=\(mistake.problem)"))
            #expect(response.header("Content-Type") == "text/plain;charset=UTF8")
        }
    }

    // MARK: 401: the credentials are wrong

    @Test(arguments: WrongCredential.allCases)
    func wrongCredentialsAreUnauthorized(mistake: WrongCredential) async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll()
            let header = try mistake.authorization(enrolled, server)
            let response = try await server.send("GET", "/session", headers: [("Authorization", header)])
            #expect(response.answer == PlainAnswer(401, "oauth_problem=\(mistake.problem)"))
            // The right credentials still work afterwards.
            #expect(try await !enrolled.openSession(server).isEmpty)
        }
    }

    @Test func aTimestampTenMinutesOffIsStillAccepted() async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll()
            for offset in [-600.0, 600] {
                let header = try enrolled.authorization(server, at: server.clock.now.addingTimeInterval(offset))
                let response = try await server.send("GET", "/session", headers: [("Authorization", header)])
                #expect(response.status == 200, "offset \(offset)")
            }
        }
    }

    @Test func aReplayedNonceIsRefused() async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll()
            let header = try enrolled.authorization(server, nonce: "replayed-nonce")
            let first = try await server.send("GET", "/session", headers: [("Authorization", header)])
            #expect(first.status == 200)
            let replay = try await server.send("GET", "/session", headers: [("Authorization", header)])
            #expect(replay.answer == PlainAnswer(401, "oauth_problem=nonce_used"))

            // Signed afresh a little later, the same nonce is still used up.
            server.clock.advance(by: 5)
            let resigned = try enrolled.authorization(server, nonce: "replayed-nonce")
            #expect(resigned != header)
            let again = try await server.send("GET", "/session", headers: [("Authorization", resigned)])
            #expect(again.answer == PlainAnswer(401, "oauth_problem=nonce_used"))
        }
    }

    @Test func anExpiredTokenIsRefused() async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll()
            server.clock.advance(by: 366 * 86_400)
            let response = try await server.send(
                "GET", "/session", headers: [("Authorization", try enrolled.authorization(server))])
            #expect(response.answer == PlainAnswer(401, "oauth_problem=token_expired"))
        }
    }

    // MARK: 403: the organisation owes Apple its terms

    @Test func unsignedTermsRefuseSessionsAndCalls() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            _ = try await server.world.changeOrganisation(termsSigned: false)

            let session = try await server.send(
                "GET", "/session", headers: [("Authorization", try linked.enrolled.authorization(server))])
            #expect(session.answer == PlainAnswer(403, "T_C_NOT_SIGNED"))
            #expect(try await linked.session.call("GET", "/account").answer == PlainAnswer(403, "T_C_NOT_SIGNED"))
            #expect(try await linked.session.fetch().answer == PlainAnswer(403, "T_C_NOT_SIGNED"))

            _ = try await server.world.changeOrganisation(termsSigned: true)
            #expect(try await linked.session.call("GET", "/account").status == 200)
            #expect(try await !linked.enrolled.openSession(server).isEmpty)
        }
    }

    // MARK: Session lifetime and scope

    @Test func aSessionEndsAfterItsIdleLifetime() async throws {
        var settings = World.Settings()
        settings.sessionIdleLifetime = 60
        try await TestServer.with(settings: settings) { server in
            let linked = try await server.linkServer()
            // Each call restarts the idle time.
            for _ in 0..<3 {
                server.clock.advance(by: 59)
                #expect(try await linked.session.call("GET", "/account").status == 200)
            }
            server.clock.advance(by: 60)
            #expect(try await linked.session.call("GET", "/account").answer == PlainAnswer(401, "UNAUTHORIZED"))
            // Once ended, it stays ended; a new session works.
            server.clock.set(server.clock.now.addingTimeInterval(-60))
            #expect(try await linked.session.call("GET", "/account").answer == PlainAnswer(401, "UNAUTHORIZED"))
            let renewed = try await DEPSession(server, linked.enrolled)
            #expect(try await renewed.call("GET", "/account").status == 200)
        }
    }

    @Test func theDefaultIdleLifetimeIsThreeMinutes() async throws {
        try await TestServer.with { server in
            #expect(World.Settings().sessionIdleLifetime == 180)
            let linked = try await server.linkServer()
            server.clock.advance(by: 179)
            #expect(try await linked.session.call("GET", "/account").status == 200)
            server.clock.advance(by: 181)
            #expect(try await linked.session.call("GET", "/account").answer == PlainAnswer(401, "UNAUTHORIZED"))
        }
    }

    @Test func aSessionSeesOnlyItsOwnServer() async throws {
        try await TestServer.with { server in
            let alpha = try await server.linkServer("Alpha MDM", devices: 3)
            let bravo = try await server.linkServer("Bravo MDM", devices: 2)
            #expect(Set(alpha.serials).isDisjoint(with: bravo.serials))

            let alphaDevices = try await alpha.session.fetchPage().devices ?? []
            let bravoDevices = try await bravo.session.fetchPage().devices ?? []
            #expect(alphaDevices.map(\.serialNumber) == alpha.serials)
            #expect(bravoDevices.map(\.serialNumber) == bravo.serials)

            let crossed = try await alpha.session.details(bravo.serials)
            #expect(crossed.devices.map { $0.value } == bravo.serials.map { _ in .status(.notAccessible) })
            let account = try await bravo.session.decode(AccountDetail.self, "GET", "/account")
            #expect(account.serverName == "Bravo MDM")
            #expect(account.serverUUID == bravo.enrolled.uuid)
        }
    }
}

/// An `Authorization` header that is not proper OAuth 1.0a: 400 (dep-api §2.5).
enum MalformedAuthorization: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case missingNonce, missingSignature, duplicatedNonce, unsupportedParameter, plaintextSignature
    case otherVersion, basicScheme

    var testDescription: String { rawValue }

    /// The `oauth_problem` the server reports.
    var problem: String {
        switch self {
        case .missingNonce, .missingSignature: "parameter_absent"
        case .duplicatedNonce, .unsupportedParameter, .basicScheme: "parameter_rejected"
        case .plaintextSignature: "signature_method_rejected"
        case .otherVersion: "version_rejected"
        }
    }

    /// `header` with this mistake made.
    func apply(to header: String) -> String {
        switch self {
        case .missingNonce: header.removingParameter("oauth_nonce")
        case .missingSignature: header.removingParameter("oauth_signature")
        case .duplicatedNonce: header + #", oauth_nonce="another""#
        case .unsupportedParameter: header + #", oauth_callback="oob""#
        case .plaintextSignature: header.replacingOccurrences(of: "HMAC-SHA1", with: "PLAINTEXT")
        case .otherVersion: header.replacingOccurrences(of: #"oauth_version="1.0""#, with: #"oauth_version="2.0""#)
        case .basicScheme: "Basic " + header.dropFirst("OAuth ".count)
        }
    }
}

/// Credentials `/session` does not accept: 401 (dep-api §2.5).
enum WrongCredential: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case unknownConsumerKey, wrongToken, signatureWithOneCharacterChanged, timestampElevenMinutesOld
    case timestampElevenMinutesAhead

    var testDescription: String { rawValue }

    var problem: String {
        switch self {
        case .unknownConsumerKey: "consumer_key_unknown"
        case .wrongToken: "token_rejected"
        case .signatureWithOneCharacterChanged: "signature_invalid"
        case .timestampElevenMinutesOld, .timestampElevenMinutesAhead: "timestamp_refused"
        }
    }

    func authorization(_ enrolled: EnrolledServer, _ server: TestServer) throws -> String {
        let header = try enrolled.authorization(server)
        switch self {
        case .unknownConsumerKey:
            return header.replacingOccurrences(
                of: enrolled.tokens.consumerKey, with: "CK_" + String(repeating: "0", count: 96))
        case .wrongToken:
            return header.replacingOccurrences(of: enrolled.tokens.accessToken, with: "AT_O0000000000O0O0")
        case .signatureWithOneCharacterChanged:
            let marker = #"oauth_signature=""#
            let start = header.range(of: marker)!.upperBound
            let changed: Character = header[start] == "A" ? "B" : "A"
            return header.replacingCharacters(in: start...start, with: String(changed))
        case .timestampElevenMinutesOld:
            return try enrolled.authorization(server, at: server.clock.now.addingTimeInterval(-660))
        case .timestampElevenMinutesAhead:
            return try enrolled.authorization(server, at: server.clock.now.addingTimeInterval(660))
        }
    }
}

extension String {
    /// An OAuth header without its parameter `name` (never the first one).
    fileprivate func removingParameter(_ name: String) -> String {
        split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.hasPrefix(name + "=") }
            .joined(separator: ", ")
    }
}
