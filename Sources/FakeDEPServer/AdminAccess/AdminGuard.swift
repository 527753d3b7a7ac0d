import Hummingbird

/// Keeps the portal, test control and the web pages of a server started with `--admin-token`
/// to those who hold the token: a request presents it as `Authorization: Bearer …` or as the
/// session cookie the sign-in page sets. A JSON route refuses anyone else with
/// `401 UNAUTHORIZED` and `WWW-Authenticate: Bearer`; a page sends a browser to the sign-in page,
/// which returns it to the page asked for. Apple's surfaces keep their own credentials and are
/// not looked at; `/_fakedep/health` stays open, as a readiness probe holds no token and the
/// answer tells nothing; the sign-in page and the assets it is drawn with are open to be signed
/// in through.
struct AdminGuard: RouterMiddleware {
    let token: AdminToken

    func handle(
        _ request: Request, context: FakeDEPContext, next: (Request, FakeDEPContext) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        let surface = BrowserSurface(path: path)
        guard surface != .apple, !Self.isOpen(path) else { return try await next(request, context) }
        let bearer = ABMAccessMiddleware.bearerToken(request.headers[.authorization])
        let cookie = request.cookies[AdminToken.cookieName]?.value
        if let bearer, token.accepts(token: bearer) {
            return try await next(request, context)
        }
        if let cookie, token.accepts(cookie: cookie) {
            var context = context
            context.isSignedIn = true
            return try await next(request, context)
        }
        if surface == .web, request.method == .get || request.method == .head {
            return SignInRoutes.redirect(
                to: SignInRoutes.path + "?next=" + WebFormat.segment(context.clientPath ?? path))
        }
        throw PortalError(
            .unauthorized,
            bearer != nil || cookie != nil
                ? "The admin token (or sign-in) this request carries is not this server's; sign in again, or send "
                    + "the token it was started with."
                : "This fakedep is started with an admin token: send it as Authorization: Bearer TOKEN "
                    + "(fakedep's commands take --admin-token or FAKEDEP_ADMIN_TOKEN), or sign in at /web/sign-in.")
    }

    /// The paths open without the token: the readiness probe, the sign-in and sign-out pages and
    /// the pages' assets (a style sheet, scripts, an icon: nothing of any world).
    static func isOpen(_ path: String) -> Bool {
        path == "/_fakedep/health" || path == SignInRoutes.path || path == SignInRoutes.signOutPath
            || path.hasPrefix("/web/assets/")
    }
}
