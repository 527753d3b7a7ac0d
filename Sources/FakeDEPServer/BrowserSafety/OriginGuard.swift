import Foundation
import HTTPTypes
import Hummingbird

/// Refuses, with `403 CROSS_SITE_REQUEST`, a state-changing request to the portal, test control or
/// the web pages that a browser says came from another origin: an `Origin` other than the one the
/// request is addressed to (its scheme `http` or `https`, its host and port those of `Host`),
/// `Origin: null` (a sandboxed frame, a file), or `Sec-Fetch-Site: cross-site` or `same-site` (a
/// page of another port on the same host is same-site but not same-origin). The web pages' own
/// requests are same-origin and pass; a client that is no browser sends neither header and passes.
struct OriginGuard: RouterMiddleware {
    func handle(
        _ request: Request, context: FakeDEPContext, next: (Request, FakeDEPContext) async throws -> Response
    ) async throws -> Response {
        guard BrowserSurface(path: request.uri.path) != .apple, BrowserSurface.changesState(request.method) else {
            return try await next(request, context)
        }
        if let site = request.headers[Self.secFetchSite]?.lowercased(), site == "cross-site" || site == "same-site" {
            throw Self.refusal("the browser says it came from another site (Sec-Fetch-Site: \(site))")
        }
        if let origin = request.headers[.origin], !Self.isSameOrigin(origin, as: request.head.authority) {
            throw Self.refusal("it came from a page of \(origin)")
        }
        return try await next(request, context)
    }

    /// Fetch metadata: where the page that made the request came from, relative to its target.
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!

    /// Whether `origin` (`scheme://host[:port]`) is the origin of a request addressed to `authority`.
    static func isSameOrigin(_ origin: String, as authority: String?) -> Bool {
        guard let authority, let separator = origin.range(of: "://") else { return false }
        let scheme = origin[..<separator.lowerBound].lowercased()
        guard let defaultPort = ["http": 80, "https": 443][scheme] else { return false }
        let from = ServerNames.split(authority: String(origin[separator.upperBound...]))
        let to = ServerNames.split(authority: authority)
        return from.host == to.host && (from.port ?? defaultPort) == (to.port ?? defaultPort)
    }

    private static func refusal(_ reason: String) -> PortalError {
        PortalError(
            .crossSiteRequest,
            "fakedep changes nothing for a request from another site's page: \(reason). Use fakedep's own pages, "
                + "or send the request from a program, which sends no Origin.")
    }
}
