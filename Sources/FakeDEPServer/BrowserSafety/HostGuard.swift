import Hummingbird

/// Refuses, with `421 MISDIRECTED_REQUEST`, a request to the portal, test control or the web pages
/// whose `Host` is not one of the server's names (`ServerNames`): a page whose own name was made to
/// resolve to this server (DNS rebinding) could otherwise read and change it as its own origin.
/// 421 rather than 403: the request reached a server that does not answer for that name (RFC 9110
/// §15.5.20), which is what went wrong; 403 is kept for what a name the server answers to may not
/// do. A request without `Host` (HTTP/1.0) comes from no browser and passes; Apple's surfaces
/// answer to any `Host`, as Apple's clients reach them through proxies and names of their own.
struct HostGuard: RouterMiddleware {
    let names: ServerNames

    func handle(
        _ request: Request, context: FakeDEPContext, next: (Request, FakeDEPContext) async throws -> Response
    ) async throws -> Response {
        guard BrowserSurface(path: request.uri.path) != .apple, let authority = request.head.authority else {
            return try await next(request, context)
        }
        let host = ServerNames.split(authority: authority).host
        guard names.contains(host, localAddress: context.channel.localAddress?.ipAddress) else {
            throw PortalError(
                .misdirected,
                "fakedep does not answer to \"\(host)\" here: use localhost or 127.0.0.1, or start it with "
                    + "--public-host \(host) (FAKEDEP_PUBLIC_HOST) if that name is really its own.")
        }
        return try await next(request, context)
    }
}
