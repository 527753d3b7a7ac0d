import Hummingbird

/// Refuses a request body the server will not read, before a route reads any of it: one whose
/// `Transfer-Encoding` does not end in `chunked` (400), one in a transfer coding other than
/// `chunked` (501: only `chunked` is decoded), one whose `Content-Length` is over the server's
/// cap (413); and cuts a chunked body off with 413 once it passes the cap. The CSV upload,
/// kept in a file rather than in memory, has a larger cap of its own; other routes keep their
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
        request.body = RequestBody(asyncSequence: CappedBody(base: request.body, limit: maximumBodySize))
        return try await next(request, context)
    }

    /// Whether `request` is a bulk-assignment CSV upload.
    private static func isUpload(_ request: Request) -> Bool {
        request.method == .post && request.uri.path.hasPrefix("/portal/servers/")
            && request.uri.path.hasSuffix("/devices/csv")
    }
}

/// A request body that throws `RequestRefusal.bodyTooLarge` once more than `limit` bytes came.
private struct CappedBody: AsyncSequence, Sendable {
    let base: RequestBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var count = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            count += buffer.readableBytes
            guard count <= limit else { throw RequestRefusal.bodyTooLarge(limit: limit) }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit)
    }
}
