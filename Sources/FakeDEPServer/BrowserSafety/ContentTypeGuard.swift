import Hummingbird

/// Refuses, with `415 UNSUPPORTED_MEDIA_TYPE`, a state-changing request to the portal or test
/// control whose `Content-Type` is not one it reads: JSON (`application/json`, with parameters, or
/// a `+json` type) on every JSON route; on the routes that take a file (a certificate, a CSV, a
/// world snapshot) any type but the three a browser sends cross-site without a preflight
/// (`MediaType.isCORSSafelisted`). A body without a `Content-Type` is refused too (`fetch` sends
/// one for a `Blob` of no type); a request with neither body nor type passes. So no page in
/// another tab can post a form or a `text/plain` `fetch` that changes the world: anything else
/// needs a preflight, which fakedep never grants. Apple's surfaces are not checked.
struct ContentTypeGuard<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        guard BrowserSurface(path: path) == .json, BrowserSurface.changesState(request.method) else {
            return try await next(request, context)
        }
        let declared = request.headers[.contentType]
        let type = MediaType(declared)
        if let fileTypes = Self.fileTypes(of: request) {
            if let type, !type.isCORSSafelisted { return try await next(request, context) }
            if type == nil, !Self.hasBody(request) { return try await next(request, context) }
            throw PortalError(
                .unsupportedMediaType,
                "The body was sent as \(Self.described(declared)); send \(fileTypes), not plain text or a form.")
        }
        if type?.isJSON ?? !Self.hasBody(request) { return try await next(request, context) }
        throw PortalError(
            .unsupportedMediaType,
            "The body was sent as \(Self.described(declared)); send JSON with Content-Type: application/json.")
    }

    /// For a route that reads a file rather than JSON (a server's certificate, a bulk-assignment
    /// CSV, a world snapshot), the types to name in a refusal; `nil` for a JSON route.
    private static func fileTypes(of request: Request) -> String? {
        let path = request.uri.path
        switch request.method {
        case .put where path.hasPrefix("/portal/servers/") && path.hasSuffix("/certificate"):
            return "the certificate as application/x-pem-file (or any file type)"
        case .post where path.hasPrefix("/portal/servers/") && path.hasSuffix("/devices/csv"):
            return "the CSV as text/csv (or any file type)"
        case .post where path == "/_fakedep/worlds":
            return "JSON as application/json, or a snapshot as application/x-ndjson"
        default: return nil
        }
    }

    /// Whether the request announces a body: a `Content-Length` above 0, or a chunked one.
    private static func hasBody(_ request: Request) -> Bool {
        request.headers[.transferEncoding] != nil || (request.headers[.contentLength].flatMap { Int($0) } ?? 0) > 0
    }

    private static func described(_ contentType: String?) -> String {
        contentType.map { "\"\($0)\"" } ?? "no Content-Type"
    }
}
