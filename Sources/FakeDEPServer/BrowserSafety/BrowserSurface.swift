import Hummingbird

/// Which kind of surface a request reaches, as seen by the checks that keep a browser's other
/// tabs out: the portal, test control and web pages are the developer's, and guarded; Apple's
/// surfaces (the DEP API, the ABM API and its token endpoint, the device side, activity logs)
/// answer as Apple does, to any `Host` and any `Content-Type`, behind their own credentials.
///
/// Read from the routed path: `WorldSelection` has already turned `/_fakedep/worlds/{id}/portal/…`
/// into `/portal/…`, `…/web/…` into `/web/…` and `…/device/…` into `/device/…`.
enum BrowserSurface: Equatable {
    /// `/portal/…` and the rest of `/_fakedep/…`: JSON in and out.
    case json
    /// The web portal's pages and assets.
    case web
    /// Apple's surfaces, left exactly as Apple's clients expect them.
    case apple

    init(path: String) {
        if path.hasPrefix("/portal/") || path.hasPrefix("/_fakedep/") || path == "/_fakedep" {
            self = .json
        } else if WebRoutes.isWebPath(path) {
            self = .web
        } else {
            self = .apple
        }
    }

    /// Whether `method` may change state: all but `GET`, `HEAD` and `OPTIONS`.
    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        method != .get && method != .head && method != .options
    }
}
