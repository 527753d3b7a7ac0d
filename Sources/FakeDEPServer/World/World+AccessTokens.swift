import DEPCrypto
public import DEPWire
public import Foundation

/// A token request refused: the RFC 6749 body, its status, and for 429 when to come back.
struct TokenRefusal: Error {
    var error: OAuth2Error
    var status: Int
    var retryAfter: Int?

    init(_ code: OAuth2Error.Code, _ description: String, status: Int? = nil, retryAfter: Int? = nil) {
        error = OAuth2Error(code, description)
        self.status = status ?? error.status
        self.retryAfter = retryAfter
    }
}

/// What a live access token lets its holder do on the `/v1/` API: act as its API account, on
/// its service.
public struct ABMAccess: Sendable, Hashable {
    public var clientID: String
    /// The account's name in the portal.
    public var accountName: String
    public var service: ABMService
    /// When the token expires, in world time.
    public var expires: Date
}

/// A bearer token refused, and why (for the `detail` of Apple's 401 and the journal).
struct BearerRefusal: Error {
    var reason: String
}

extension World {
    /// Issues an access token for a client-credentials request with an ES256 client assertion
    /// (peers §5.2), or refuses it with the RFC 6749 error of the first check that fails: the
    /// grant and assertion types; the client id names an account of this world that is not
    /// revoked; the JWT parses, its `alg` is ES256, its `kid` is the account's key id, its `sub`
    /// (and `iss`, if present) is the client id, its `aud` is Apple's token endpoint; the ES256
    /// signature is the account's key's; `exp` is later than now and at most 180 days after
    /// `iat`; the scope is the account's service's; the `jti` was not accepted before (while
    /// `Settings.refusesReplayedAssertions`); the client minted fewer than
    /// `Settings.accessTokenMintLimit` tokens within `Settings.accessTokenMintWindow`.
    ///
    /// "Now" is the world's business time throughout, for `exp` and `iat` as for the token's
    /// lifetime: a test that moves the world's clock expires assertions and tokens alike.
    func issueAccessToken(_ request: TokenRequest) async throws -> TokenResponse {
        do {
            return try await checkedAccessToken(request)
        } catch let refusal as TokenRefusal {
            Refusal.explain(refusal.error.description)
            throw refusal
        }
    }

    private func checkedAccessToken(_ request: TokenRequest) async throws -> TokenResponse {
        guard request.grantType == TokenRequest.clientCredentials else {
            throw TokenRefusal(
                .unsupportedGrantType, "grant_type is \"\(request.grantType)\"; the only grant is client_credentials.")
        }
        guard request.clientAssertionType == TokenRequest.jwtBearer else {
            throw TokenRefusal(
                .invalidRequest,
                "client_assertion_type is \"\(request.clientAssertionType)\"; it must be \(TokenRequest.jwtBearer).")
        }
        let clientID = request.clientID
        guard let account = try await apiAccount(clientID: clientID) else {
            throw TokenRefusal(.invalidClient, "No API account has the client id \"\(clientID)\".")
        }
        if let revoked = account.revoked {
            throw TokenRefusal(
                .invalidClient,
                "The API account \(clientID) was revoked at \(DEPDate.format(Date(unixSeconds: revoked))).")
        }
        let claims = try verifiedClaims(request.clientAssertion, of: account)
        let now = clock.now
        let nowSeconds = now.unixSeconds
        guard claims.exp > nowSeconds else {
            throw TokenRefusal(
                .invalidClient,
                "The client assertion expired: exp \(claims.exp) is not later than the world's time \(nowSeconds).")
        }
        guard claims.exp > claims.iat, claims.exp - claims.iat <= ClientAssertionClaims.maximumLifetime else {
            throw TokenRefusal(
                .invalidClient,
                "The client assertion's exp \(claims.exp) must be later than its iat \(claims.iat) and at most "
                    + "180 days (\(ClientAssertionClaims.maximumLifetime) s) after it.")
        }
        guard ABMService(scope: request.scope) == account.service else {
            throw TokenRefusal(
                .invalidScope,
                "scope is \"\(request.scope)\"; the client id \(clientID) is of the \(account.service.rawValue) "
                    + "service, whose scope is \(account.service.scope).")
        }
        if settings.refusesReplayedAssertions,
            !accessTokens.accept(
                assertion: claims.jti, clientID: clientID, expires: Date(unixSeconds: claims.exp), at: now)
        {
            throw TokenRefusal(
                .invalidClient, "The client assertion's jti \"\(claims.jti)\" was used before; sign a new assertion.")
        }
        switch accessTokens.mint(clientID: clientID, service: account.service, at: now) {
        case .issued(let token):
            return TokenResponse(
                accessToken: token, expiresIn: Int(accessTokens.lifetime), scope: account.service.scope)
        case .tooMany(let retryAfter):
            // 429, not the 400 pyaxm reports: asbmutil (#2) saw 429, and 429 tells a client to
            // wait (Retry-After) rather than that its request is wrong. The body stays RFC 6749's.
            throw TokenRefusal(
                .invalidRequest,
                "\(clientID) minted \(accessTokens.mintLimit) access tokens within \(Int(accessTokens.mintWindow)) s "
                    + "of world time; reuse a token until it expires, or retry in \(retryAfter) s.",
                status: 429, retryAfter: retryAfter)
        }
    }

    /// The assertion's claims, once its form, header, subject, audience and signature check out.
    private func verifiedClaims(_ assertion: String, of account: APIAccountRecord) throws -> ClientAssertionClaims {
        let jwt: JWT
        let claims: ClientAssertionClaims
        do {
            jwt = try JWT(compact: assertion)
            claims = try jwt.claims(ClientAssertionClaims.self)
        } catch {
            throw TokenRefusal(.invalidClient, "The client assertion is not a JWT: \(error)")
        }
        guard jwt.header.alg == "ES256" else {
            throw TokenRefusal(.invalidClient, "The client assertion's alg is \"\(jwt.header.alg)\"; it must be ES256.")
        }
        guard jwt.header.kid == account.keyID else {
            throw TokenRefusal(
                .invalidClient,
                "The client assertion's kid \"\(jwt.header.kid ?? "")\" is not the key id of \(account.clientID).")
        }
        guard claims.sub == account.clientID, claims.iss.map({ $0 == account.clientID }) ?? true else {
            throw TokenRefusal(
                .invalidClient,
                "The client assertion's sub (\(claims.sub)) and iss (\(claims.iss ?? "absent")) must be the client id "
                    + "\(account.clientID).")
        }
        let audiences = [ClientAssertionClaims.audience, ClientAssertionClaims.legacyAudience]
        guard claims.aud.contains(where: audiences.contains) else {
            throw TokenRefusal(
                .invalidClient,
                "The client assertion's aud \(claims.aud) is not \(ClientAssertionClaims.audience).")
        }
        let publicKey = try ECPublicKey(der: account.publicKey)
        guard ES256.isValidSignature(jwt.signature, of: jwt.signingInput, by: publicKey) else {
            throw TokenRefusal(
                .invalidClient,
                "The client assertion's ES256 signature does not verify with the key of \(account.clientID).")
        }
        return claims
    }

    /// What bearer `token` grants now, or why it grants nothing: unknown to this world, expired
    /// (world time) or its account revoked.
    func access(bearer token: String) async throws -> ABMAccess {
        guard let grant = accessTokens.grant(token) else {
            throw BearerRefusal(reason: "The access token is not one this service issued.")
        }
        guard grant.expires > clock.now else {
            throw BearerRefusal(
                reason: "The access token expired at \(DEPDate.format(grant.expires)); request a new one.")
        }
        guard let account = try await apiAccount(clientID: grant.clientID), account.revoked == nil else {
            throw BearerRefusal(reason: "The API account \(grant.clientID) of this access token was revoked.")
        }
        return ABMAccess(
            clientID: account.clientID, accountName: account.name, service: account.service, expires: grant.expires)
    }

    /// Whether this world issued access token `token` (live or recently expired): the world a
    /// `/v1/` request with it goes to.
    func issued(accessToken token: String) -> Bool {
        accessTokens.grant(token) != nil
    }
}
