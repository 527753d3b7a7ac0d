import Hummingbird

/// Refuses a request body the server will not read, before a route reads any of it: one whose
/// `Transfer-Encoding` does not end in `chunked` (400), one in a transfer coding other than
/// `chunked` (501: only `chunked` is decoded), one whose `Content-Length` is over the server's
/// cap (413); and cuts a chunked body off with 413 once it passes the cap. The CSV upload and a
/// world snapshot, kept in a file rather than in memory, have a larger cap of their own; other routes keep their
/// own, smaller caps.
struct RequestBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    let limits: HTTPLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let maximumBodySize = Self.isUpload(request) ? limits.maximumUploadSize : limits.maximumBodySize
        let codings = request.headers[values: .transferEncoding].flatMap { field in
            field.split(separator: ",").map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() }.filter {
                !$0.isEmpty
            }
        }
        if let last = codings.last {
            guard last == "chunked" else { throw RequestRefusal.unframedBody }
            if let other = codings.first(where: { $0 != "chunked" }) {
                throw RequestRefusal.unsupportedTransferCoding(other)
            }
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumBodySize {
            throw RequestRefusal.bodyTooLarge(limit: maximumBodySize)
        }
        var request = request
        request.body = request.body.observed { _, total in
            guard total <= maximumBodySize else { throw RequestRefusal.bodyTooLarge(limit: maximumBodySize) }
        }
        return try await next(request, context)
    }

    /// Whether `request` is a bulk-assignment CSV upload or a world snapshot to load.
    private static func isUpload(_ request: Request) -> Bool {
        guard request.method == .post else { return false }
        let path = request.uri.path
        return (path.hasPrefix("/portal/servers/") && path.hasSuffix("/devices/csv"))
            || (path == "/_fakedep/worlds" && WorldSnapshot.isMediaType(request.headers[.contentType]))
    }
}
