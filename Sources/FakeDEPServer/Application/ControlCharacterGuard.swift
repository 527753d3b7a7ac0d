import DEPWire
import Foundation
import Hummingbird

/// Refuses, with a 400, a request whose path or query holds a control character once
/// percent-decoded (`/portal/servers/Victim%00anything`): SQLite would read such a string only up
/// to its NUL and act on another name. Every path parameter and query value of every surface
/// passes through here; identifiers in bodies are checked by the `World` methods that take them.
struct ControlCharacterGuard<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        let decodedPath = path.removingPercentEncoding ?? path
        let query = request.uri.query ?? ""
        let decodedQuery = query.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? query
        guard !decodedPath.containsControlCharacters, !decodedQuery.containsControlCharacters else {
            throw Self.refusal(forPath: path)
        }
        return try await next(request, context)
    }

    /// The refusal in the surface's own words: Apple's `ErrorResponse` on the ABM API, JSON on the
    /// portal, the device side and test control, Apple's plain code elsewhere.
    static func refusal(forPath path: String) -> any Error {
        let message = "The address holds a control character; names and identifiers are printable text."
        if ErrorResponse.isABM(path) { return ABMError.generic(status: 400, detail: message) }
        if ErrorMiddleware<Context>.isPortal(path: path) { return PortalError(.invalidRequest, message) }
        return DEPError(.malformedRequestBody)
    }
}
