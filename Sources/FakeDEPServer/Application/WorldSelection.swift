import DEPWire
import Hummingbird

/// Chooses the world of each request before it is routed, so that every surface's routes act on
/// `context.world` and none of them knows worlds exist:
/// - `/_fakedep/worlds/{id}/portal/…`, `…/device/…` and `…/web/…`: world `id`, the prefix removed;
/// - Apple's DEP API: the world that issued the OAuth consumer key (`/session`) or holds the
///   session (`X-ADM-Auth-Session`), exactly as a client's credentials would reach Apple; a
///   credential no world knows goes to the default world, which refuses it as Apple does;
/// - the ABM API's token endpoint: the world with an API account of the request's `client_id`
///   (form body or query string); the `/v1/` API: the world that issued its bearer token;
/// - an activity's CSV log (`/activity-logs/{id}.csv`): the world that holds the activity;
/// - everything else: the default world.
///
/// A world path naming no world is `404` only to those who hold the admin token, when the server
/// has one: to anyone else it is refused as every guarded route is, so world ids cannot be probed.
struct WorldSelection<Router: HTTPResponder>: HTTPResponder where Router.Context == FakeDEPContext {
    let worlds: WorldRegistry
    let router: Router
    let adminGuard: AdminGuard?

    func respond(to request: Request, context: FakeDEPContext) async throws -> Response {
        var request = request
        var context = context
        context.clientPath = request.uri.description
        do {
            let (world, journal) = try await select(&request)
            context.selectedWorld = world
            if WebRoutes.isWebPath(request.uri.path) {
                // A page view is the portal looking at the world, not a request to it: not journaled.
                let (id, _) = WorldPath.split(context.clientPath ?? "") ?? (Substring(WorldRegistry.defaultID), "")
                context.webBase = id == WorldRegistry.defaultID ? "" : WorldPath.prefix + id
            } else if !request.uri.path.hasPrefix("/_fakedep/") {
                // The control surface acts on worlds; it is not a request to one.
                context.selectedJournal = journal
            }
        } catch let error as PortalError {
            guard let adminGuard, WorldPath.split(context.clientPath ?? "") != nil else {
                return ErrorMiddleware<FakeDEPContext>.response(error)
            }
            // `select` has already removed the world prefix: the guard judges the path as the
            // world's routes would see it.
            do {
                return try await adminGuard.handle(request, context: context) { _, _ in throw error }
            } catch let refusal as PortalError {
                return ErrorMiddleware<FakeDEPContext>.response(refusal)
            }
        } catch let refusal as TokenRefusal {
            return TokenRoutes.response(refusal)
        }
        return try await router.respond(to: request, context: context)
    }

    private func select(_ request: inout Request) async throws -> (World, Journal?) {
        let path = request.uri.path
        if let (id, rest) = WorldPath.split(path),
            rest.hasPrefix("/portal/") || rest.hasPrefix("/device/") || WebRoutes.isWebPath(rest)
        {
            var head = request.head
            head.path = String(rest) + (request.uri.query.map { "?" + $0 } ?? "")
            request = Request(head: head, body: request.body)
            return try worlds.entry(String(id))
        }
        if path.hasPrefix("/activity-logs/"), path.hasSuffix(".csv"),
            let selected = try await worlds.entry(forActivity: String(path.dropFirst(15).dropLast(4)))
        {
            return selected
        }
        if let token = request.headers[DEPCall.sessionHeader], let selected = worlds.entry(forSession: token) {
            return selected
        }
        if TokenRoutes.paths.contains(path), request.method == .post {
            let (clientID, buffered) = try await TokenRoutes.clientID(of: request)
            request = buffered
            if let clientID, let selected = try await worlds.entry(forClientID: clientID) { return selected }
        }
        if path.hasPrefix("/v1/"), let token = ABMAccessMiddleware.bearerToken(request.headers[.authorization]),
            let selected = worlds.entry(forAccessToken: token)
        {
            return selected
        }
        if path == "/session", let authorization = request.headers[.authorization],
            let parameters = try? OAuthHeader.parse(authorization),
            let selected = try await worlds.entry(forConsumerKey: parameters.consumerKey)
        {
            return selected
        }
        return try worlds.entry(WorldRegistry.defaultID)
    }
}

/// The paths of one world's surfaces: `/_fakedep/worlds/{id}` and the rest.
enum WorldPath {
    static let prefix = "/_fakedep/worlds/"

    /// `/_fakedep/worlds/{id}{rest}` as the id and the rest of the path.
    static func split(_ path: String) -> (id: Substring, rest: Substring)? {
        guard path.hasPrefix(prefix) else { return nil }
        let afterPrefix = path.dropFirst(prefix.count)
        guard let slash = afterPrefix.firstIndex(of: "/") else { return nil }
        return (afterPrefix[..<slash], afterPrefix[slash...])
    }
}
