import DEPWire
import Foundation
import HTTPTypes
import Hummingbird

extension ErrorResponse {
    /// One error as Apple's `/v1/` API answers it: `application/json`, a fresh `id`, `status`
    /// matching the response's (peers §5.4). Also says why in the request's journal entry.
    static func response(_ error: ABMError) -> Response {
        Refusal.explain(error.detail)
        let body = ErrorResponse(
            .init(
                id: UUID().uuidString.lowercased(), status: error.status, code: error.code, title: error.title,
                detail: error.detail, source: error.source))
        return Response(
            status: .init(code: error.status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: (try? DEPJSON.encodeBytes(body)) ?? [])))
    }

    static func response(status: HTTPResponse.Status, code: String, title: String, detail: String) -> Response {
        response(ABMError(status: status.code, code: code, title: title, detail: detail))
    }

    /// Whether `path` is one of the ABM API's.
    static func isABM(_ path: String) -> Bool { path.hasPrefix("/v1/") || path == "/v1" }
}

extension ABMError {
    /// Apple's code for an HTTP status the API answers without a more specific one.
    static func generic(status: Int, detail: String) -> ABMError {
        let (code, title): (String, String) =
            switch status {
            case 400: ("PARAMETER_ERROR.INVALID", "The request is invalid.")
            case 401: ("NOT_AUTHORIZED", "Authentication credentials are missing or invalid.")
            case 403: ("FORBIDDEN_ERROR", "The request is not allowed.")
            case 404: ("NOT_FOUND", "The specified resource does not exist.")
            case 405: ("METHOD_NOT_ALLOWED", "The method is not allowed for this resource.")
            case 413: ("ENTITY_TOO_LARGE", "The request entity is too large.")
            case 429: ("RATE_LIMIT_EXCEEDED", "The request rate limit has been reached.")
            default: ("UNEXPECTED_ERROR", "An unexpected error occurred.")
            }
        return ABMError(status: status, code: code, title: title, detail: detail)
    }
}

/// Renders every failure of an ABM route as an `ErrorResponse`: the API's own refusals, the
/// portal rules it reuses, and Hummingbird's errors.
struct ABMErrorMiddleware: RouterMiddleware {
    typealias Context = FakeDEPContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as ABMError {
            return ErrorResponse.response(error)
        } catch let error as PortalError {
            return ErrorResponse.response(.generic(status: error.code.status, detail: error.message))
        } catch let error as HTTPError {
            return ErrorResponse.response(
                .generic(status: Int(error.status.code), detail: error.body ?? error.status.reasonPhrase))
        }
    }
}
