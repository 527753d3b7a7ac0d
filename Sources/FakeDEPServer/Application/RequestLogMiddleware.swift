import Hummingbird
import Logging

/// Logs each request's method and path as Hummingbird's `LogRequestsMiddleware` does, but with
/// a client assertion in a token request's query string (Apple's own example puts it there)
/// redacted as the journal redacts it: an assertion is a credential for up to 180 days.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = FakeDEPContext

    let level: Logger.Level

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        context.logger.log(
            level: level, "Request",
            metadata: [
                "hb.request.path": .string(Redaction.loggedPath(request.uri.description)),
                "hb.request.method": .string(request.method.rawValue),
            ])
        return try await next(request, context)
    }
}
