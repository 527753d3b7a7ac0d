import DEPWire
import Foundation
import HTTPTypes
import Hummingbird

/// Guards Apple's Business/School Manager API (`/v1/…`, peers §5.2): a request passes with a
/// live bearer token of this world's API accounts, for the service its host names, accepting
/// JSON; its account is then in `context.abmAccess`. Otherwise Apple's `ErrorResponse`:
/// - 406 `NOT_ACCEPTABLE` when `Accept` is sent and is not exactly `application/json` (nanoaxm
///   sends that; no `Accept` at all is let through, as a client that sends none takes any answer);
/// - 401 `NOT_AUTHORIZED` without an `Authorization: Bearer` token, or with one this world did
///   not issue, that expired (world time) or whose account was revoked;
/// - 403 `FORBIDDEN_ERROR` for a token of the other service: a host starting `api-school.` is
///   the School service, any other the Business service.
struct ABMAccessMiddleware: RouterMiddleware {
    typealias Context = FakeDEPContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let accepts = request.headers[values: .accept]
        if let other = accepts.first(where: { $0.trimmingCharacters(in: .whitespaces) != "application/json" }) {
            return ErrorResponse.response(
                status: .notAcceptable, code: "NOT_ACCEPTABLE", title: "The requested media type is not available.",
                detail: "Accept is \"\(other)\"; this API answers application/json only.")
        }
        guard let token = Self.bearerToken(request.headers[.authorization]) else {
            return Self.notAuthorized("Send an access token from the token endpoint as Authorization: Bearer TOKEN.")
        }
        let access: ABMAccess
        do {
            access = try await context.world.access(bearer: token)
        } catch let refusal as BearerRefusal {
            return Self.notAuthorized(refusal.reason)
        }
        let service = Self.service(of: request)
        guard access.service == service else {
            return ErrorResponse.response(
                status: .forbidden, code: "FORBIDDEN_ERROR", title: "This request is forbidden for security reasons.",
                detail:
                    "The access token is for the \(access.service.rawValue) service (scope \(access.service.scope)); "
                    + "\(service.hostName) is the \(service.rawValue) service.")
        }
        var context = context
        context.abmAccess = access
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer TOKEN` header (the scheme in any case, RFC 6750 §2.1).
    static func bearerToken(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The service a request's host names: School for `api-school.…`, else Business.
    static func service(of request: Request) -> ABMService {
        let host = request.head.authority ?? ""
        return host.lowercased().hasPrefix("api-school.") ? .school : .business
    }

    private static func notAuthorized(_ detail: String) -> Response {
        ErrorResponse.response(
            status: .unauthorized, code: "NOT_AUTHORIZED",
            title: "Authentication credentials are missing or invalid.", detail: detail)
    }
}
