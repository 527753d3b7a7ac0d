import DEPWire
import Foundation
import Hummingbird
import NIOCore

/// The web portal's sign-in and sign-out, for a server started with `--admin-token`: the page
/// asks for the token once and sets the session cookie `AdminGuard` accepts (HttpOnly, so no
/// script reads it; SameSite=Strict, so no other site's page sends it), then returns the browser
/// to the page it asked for. A server without a token has nothing to sign in to: both send the
/// browser to the overview. Served over HTTPS, the cookie is also `Secure`, so a browser never
/// sends it over plain HTTP.
struct SignInRoutes {
    let token: AdminToken?
    /// Whether the server speaks HTTPS.
    let secure: Bool

    static let path = "/web/sign-in"
    static let signOutPath = "/web/sign-out"

    /// The largest sign-in form read: a token and a path.
    private static let maximumFormSize = 16 << 10

    func add(to router: Router<FakeDEPContext>) {
        router.get(RouterPath(Self.path)) { request, _ in
            guard token != nil else { return Self.redirect(to: "/web/") }
            return Self.page(next: Self.localPath(request.uri.queryParameters["next"].map(String.init)))
        }
        router.post(RouterPath(Self.path)) { request, _ in
            guard let token else { return Self.redirect(to: "/web/") }
            let form = Self.form(String(buffer: try await request.body.collect(upTo: Self.maximumFormSize)))
            let next = Self.localPath(form["next"])
            guard let presented = form["token"], token.accepts(token: presented) else {
                return Self.page(
                    next: next, error: "That is not the admin token this server was started with.",
                    status: .unauthorized)
            }
            var response = Self.redirect(to: next)
            response.setCookie(cookie(value: token.cookieValue))
            return response
        }
        router.post(RouterPath(Self.signOutPath)) { _, _ in
            guard token != nil else { return Self.redirect(to: "/web/") }
            var response = Self.redirect(to: Self.path)
            response.setCookie(cookie(value: "", maxAge: 0))
            return response
        }
    }

    /// `303 See Other` to `location`: the browser fetches it with `GET`.
    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// The session cookie, for the whole server (every world's pages and routes).
    private func cookie(value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(
            name: AdminToken.cookieName, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true,
            sameSite: .strict)
    }

    private static func page(next: String, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        var model: [String: String] = ["next": next]
        if let error { model["error"] = error }
        return WebPage.html(WebTemplates.render("sign-in", model), status: status)
    }

    /// `next` when it is a path of this server, else the overview: the sign-in page sends a
    /// browser nowhere else (`//elsewhere.example` is another host, and `/\` is to some browsers).
    static func localPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
            !next.containsControlCharacters
        else { return "/web/" }
        return next
    }

    /// An `application/x-www-form-urlencoded` body as its fields; a field given twice keeps its first value.
    static func form(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decoded = parts.map { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decoded[0], fields[name] == nil else { continue }
            fields[name] = decoded.count > 1 ? decoded[1] : ""
        }
        return fields
    }
}
