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
        guard let authorization else {
            throw Self.refuse(.parameterAbsent, "no Authorization header: /session takes an OAuth 1.0a header")
        }
        let parameters: OAuthParameters
        do {
            parameters = try OAuthHeader.parse(authorization)
        } catch {
            throw Self.refuse(
                error.problem, "the Authorization header is not OAuth 1.0a as /session takes it: \(error)")
        }
        // Protocol time is real: a client signs with its own clock, whatever the world's time.
        let realNow = clock.base.now
        let server = try await store.read { db in try MDMServerRecord.find(db, consumerKey: parameters.consumerKey) }
        guard let server, let tokens = server.tokens else {
            if let revoked = try await revokedToken(consumerKey: parameters.consumerKey) {
                throw Self.refuse(
                    .consumerKeyUnknown,
                    "oauth_consumer_key \(parameters.consumerKey) is of the token of \(revoked.server), revoked in the portal on \(DEPDate.format(Date(unixSeconds: revoked.revoked))); download a new one"
                )
            }
            throw Self.refuse(
                .consumerKeyUnknown,
                "oauth_consumer_key \(parameters.consumerKey) belongs to no MDM server of any world (deleted, reset, or never issued)"
            )
        }
        guard ConstantTime.isEqual(Array(parameters.token.utf8), Array(tokens.accessToken.utf8)) else {
            throw Self.refuse(
                .tokenRejected,
                "oauth_token is not the current token of \(server.name): a newer token replaced it; download it again")
        }
        guard let timestamp = parameters.timestampDate,
            abs(timestamp.timeIntervalSince(realNow)) <= settings.timestampWindow
        else {
            throw Self.refuse(
                .timestampRefused,
                "oauth_timestamp \(parameters.timestamp) is more than \(Int(settings.timestampWindow)) s from the server's real time \(Int(realNow.timeIntervalSince1970))"
            )
        }
        guard
            OAuthSignature.verify(
                method: method, url: url, parameters: parameters,
                consumerSecret: tokens.consumerSecret, accessSecret: tokens.accessSecret)
        else {
            let base = (try? OAuthSignature.baseString(method: method, url: url, parameters: parameters)) ?? "(none)"
            throw Self.refuse(
                .signatureInvalid,
                "oauth_signature does not match the server's HMAC-SHA1 of the signature base string it computed: \(base)"
            )
        }
        guard nonces.use(parameters.nonce, consumerKey: parameters.consumerKey, at: realNow) else {
            throw Self.refuse(.nonceUsed, "oauth_nonce \(parameters.nonce) was used within the timestamp window")
        }
        // Business time: a token expires a year after it was issued in the world's time.
        let now = clock.now
        guard !tokens.isExpired(at: now) else {
            throw Self.refuse(
                .tokenExpired,
                "the token of \(server.name) expired on \(DEPDate.format(tokens.accessTokenExpiry)) (the world's time is \(DEPDate.format(now))); download a new one"
            )
        }
        guard try await store.read({ db in try organisation(db).termsSigned }) else {
            Refusal.explain("the organisation has not accepted the latest terms (PATCH /portal/organisation)")
            throw DEPError(.termsNotSigned)
        }
        return sessions.open(server: server.id, named: server.name, at: now)
    }

    /// The MDM server a session token belongs to: 401 `UNAUTHORIZED` when the token is missing,
    /// unknown, idle too long or its server is gone (dep-api §2.4); 403 `T_C_NOT_SIGNED` while the
    /// organisation owes Apple its terms.
    func server(forSession token: String?) async throws -> MDMServerRecord {
        guard let token else {
            Refusal.explain("no X-ADM-Auth-Session header: open a session with GET /session first")
            throw DEPError(.unauthorized)
        }
        let id: Int64
        switch sessions.lookUp(token, at: clock.now) {
        case .open(let server): id = server
        case .expired(let idle):
            Refusal.explain(
                "the session expired after \(Int(idle)) s idle (sessions end after \(Int(sessions.idleLifetime)) s)")
            throw DEPError(.unauthorized)
        case .unknown:
            Refusal.explain(
                "the session is unknown to every world: never issued, ended by a restart, a new or revoked token, or a reset"
            )
            throw DEPError(.unauthorized)
        }
        let (server, termsSigned) = try await store.read { db in
            (try MDMServerRecord.find(db, id: id), try organisation(db).termsSigned)
        }
        guard let server else {
            Refusal.explain("the session's MDM server was deleted")
            throw DEPError(.unauthorized)
        }
        guard termsSigned else {
            Refusal.explain("the organisation has not accepted the latest terms (PATCH /portal/organisation)")
            throw DEPError(.termsNotSigned)
        }
        return server
    }

    /// `problem`'s error, with `why` noted for the journal.
    private static func refuse(_ problem: OAuthProblem, _ why: String) -> DEPError {
        Refusal.explain("oauth_problem=\(problem.rawValue): \(why)")
        return problem.error
    }

    /// Replaces live session `token` with a new one for the same server (`session_rotation`);
    /// `nil` when it is not live.
    func rotateSession(_ token: String) -> String? {
        sessions.rotate(token, at: clock.now)
    }
}
