import DEPWire
import Hummingbird

/// Chooses the world of each request before it is routed, so that every surface's routes act on
/// `context.world` and none of them knows worlds exist:
/// - `/_fakedep/worlds/{id}/portal/…` and `…/device/…`: world `id`, the prefix removed;
/// - Apple's DEP API: the world that issued the OAuth consumer key (`/session`) or holds the
///   session (`X-ADM-Auth-Session`), exactly as a client's credentials would reach Apple; a
///   credential no world knows goes to the default world, which refuses it as Apple does;
/// - everything else: the default world.
struct WorldSelection<Router: HTTPResponder>: HTTPResponder where Router.Context == FakeDEPContext {
    let worlds: WorldRegistry
    let router: Router

    func respond(to request: Request, context: FakeDEPContext) async throws -> Response {
        var request = request
        var context = context
        do {
            context.selectedWorld = try await select(&request)
        } catch let error as PortalError {
            return ErrorMiddleware<FakeDEPContext>.json(
                code: error.code.rawValue, message: error.message, status: error.code.status)
        }
        return try await router.respond(to: request, context: context)
    }

    private func select(_ request: inout Request) async throws -> World {
        let path = request.uri.path
        if let (id, rest) = WorldPath.split(path), rest.hasPrefix("/portal/") || rest.hasPrefix("/device/") {
            let world = try worlds.world(String(id))
            var head = request.head
            head.path = String(rest) + (request.uri.query.map { "?" + $0 } ?? "")
            request = Request(head: head, body: request.body)
            return world
        }
        if let token = request.headers[DEPCall.sessionHeader], let world = worlds.world(forSession: token) {
            return world
        }
        if path == "/session", let authorization = request.headers[.authorization],
            let parameters = try? OAuthHeader.parse(authorization),
            let world = try await worlds.world(forConsumerKey: parameters.consumerKey)
        {
            return world
        }
        return worlds.defaultWorld
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
