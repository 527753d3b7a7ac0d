import Hummingbird
import Synchronization

/// The methods each route path of the server takes, recorded once every route is registered:
/// what a `405 Method Not Allowed` lists in `Allow`.
final class RouteMethods: Sendable {
    private let paths = Mutex<[(segments: [Substring], methods: [HTTPRequest.Method])]>([])

    /// The order `Allow` lists methods in.
    private static let order: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]

    /// Records the routes of `router`, grouped by path.
    func record<Context>(_ router: Router<Context>) {
        var methods: [String: Set<HTTPRequest.Method>] = [:]
        for route in router.routes { methods["\(route.path)", default: []].insert(route.method) }
        let grouped = methods.map { path, methods in
            (
                segments: path.split(separator: "/"),
                methods: Self.order.filter(methods.contains) + methods.filter { !Self.order.contains($0) }
            )
        }
        paths.withLock { $0 = grouped }
    }

    /// The methods of the routes `path` is an address of; `nil` for an address of no route.
    func allowed(for path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/")
        let matching = paths.withLock { paths in
            paths.filter { route in
                route.segments.count == segments.count
                    && zip(route.segments, segments).allSatisfy { $0.hasPrefix("{") || $0.hasPrefix(":") || $0 == $1 }
            }
        }
        guard !matching.isEmpty else { return nil }
        var allowed: [HTTPRequest.Method] = []
        for method in matching.flatMap(\.methods) where !allowed.contains(method) { allowed.append(method) }
        return allowed
    }
}

/// A request whose path is a route of the server in a method it does not take: answered 405
/// with `Allow` in its surface's way (`ErrorMiddleware`): an empty body on Apple's DEP API, as
/// Apple's old reference describes; JSON on the portal, the device side and test control;
/// Apple's `ErrorResponse` on the ABM API.
struct MethodNotAllowed: Error {
    let allowed: [HTTPRequest.Method]

    var allowHeader: String { allowed.map(\.rawValue).joined(separator: ", ") }
}

/// Turns a refusal of a request to a known path in a method it does not take into
/// `MethodNotAllowed`, on every surface alike: the router's 404 (Hummingbird alone answers 404),
/// and the refusals of the checks between here and the router (a `TRACE` with a form body is
/// 405, not 415). Only a refused request is looked at, so one that reaches a route costs nothing
/// more.
struct MethodRefusal<Context: RequestContext>: RouterMiddleware {
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            guard let allowed = routes.allowed(for: request.uri.path), !allowed.contains(request.method) else {
                throw error
            }
            throw MethodNotAllowed(allowed: allowed)
        }
    }
}
