import DEPWire
import Foundation

extension World {
    /// Checks an OAuth 1.0a-signed `GET /session` against the issued credentials and opens a
    /// session for the server they belong to (dep-api §2.1, §2.5).
    ///
    /// - Parameters:
    ///   - authorization: the `Authorization` header value, if any.
    ///   - method: the request method, part of the signature.
    ///   - url: the URL the client requested (scheme, host, port and path), which it signed.
    /// - Returns: the new session token.
    public func openSession(authorization: String?, method: String, url: String) async throws -> String {
        guard let authorization else { throw OAuthProblem.parameterAbsent.error }
        let parameters: OAuthParameters
        do {
            parameters = try OAuthHeader.parse(authorization)
        } catch {
            throw error.problem.error
        }
        // Protocol time is real: a client signs with its own clock, whatever the world's time.
        let realNow = clock.base.now
        let server = try await store.read { db in try MDMServerRecord.find(db, consumerKey: parameters.consumerKey) }
        guard let server, let tokens = server.tokens else { throw OAuthProblem.consumerKeyUnknown.error }
        guard ConstantTime.isEqual(Array(parameters.token.utf8), Array(tokens.accessToken.utf8)) else {
            throw OAuthProblem.tokenRejected.error
        }
        guard let timestamp = parameters.timestampDate,
            abs(timestamp.timeIntervalSince(realNow)) <= settings.timestampWindow
        else { throw OAuthProblem.timestampRefused.error }
        guard
            OAuthSignature.verify(
                method: method, url: url, parameters: parameters,
                consumerSecret: tokens.consumerSecret, accessSecret: tokens.accessSecret)
        else { throw OAuthProblem.signatureInvalid.error }
        guard nonces.use(parameters.nonce, consumerKey: parameters.consumerKey, at: realNow) else {
            throw OAuthProblem.nonceUsed.error
        }
        // Business time: a token expires a year after it was issued in the world's time.
        let now = clock.now
        guard !tokens.isExpired(at: now) else { throw OAuthProblem.tokenExpired.error }
        guard try await store.read({ db in try organisation(db).termsSigned }) else {
            throw DEPError(.termsNotSigned)
        }
        return sessions.open(server: server.id, at: now)
    }

    /// The MDM server a session token belongs to: 401 `UNAUTHORIZED` when the token is missing,
    /// unknown, idle too long or its server is gone (dep-api §2.4); 403 `T_C_NOT_SIGNED` while the
    /// organisation owes Apple its terms.
    func server(forSession token: String?) async throws -> MDMServerRecord {
        guard let token, let id = sessions.server(for: token, at: clock.now) else { throw DEPError(.unauthorized) }
        let (server, termsSigned) = try await store.read { db in
            (try MDMServerRecord.find(db, id: id), try organisation(db).termsSigned)
        }
        guard let server else { throw DEPError(.unauthorized) }
        guard termsSigned else { throw DEPError(.termsNotSigned) }
        return server
    }
}
