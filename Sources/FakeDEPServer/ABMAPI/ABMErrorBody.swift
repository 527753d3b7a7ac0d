import DEPWire
import Foundation
import Hummingbird
import NIOCore

/// The ABM API's error document, `{"errors": [{id, status, code, title, detail, source}]}`
/// exactly as `Schemas/abm/ErrorResponse.json` describes it.
struct ABMErrorBody: Encodable {
    struct Entry: Encodable {
        var id: String
        var status: String
        var code: String
        var title: String
        var detail: String
        var source: Source?
    }

    struct Source: Encodable {
        var pointer: String?
        var parameter: String?
    }

    var errors: [Entry]

    init(_ error: ABMError) {
        let source: Source? =
            switch error.source {
            case .pointer(let pointer): Source(pointer: pointer)
            case .parameter(let parameter): Source(parameter: parameter)
            case nil: nil
            }
        errors = [
            Entry(
                id: UUID().uuidString.lowercased(), status: String(error.status), code: error.code, title: error.title,
                detail: error.detail, source: source)
        ]
    }

    /// The answer: the error's status and this body as JSON.
    static func response(_ error: ABMError) -> Response {
        let bytes = (try? DEPJSON.encodeBytes(ABMErrorBody(error))) ?? Array(#"{"errors":[]}"#.utf8)
        return Response(
            status: .init(code: error.status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Apple's code for an HTTP status the API answers without a more specific one.
    static func error(status: Int, detail: String) -> ABMError {
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

    /// Whether `path` is one of the ABM API's.
    static func isABM(_ path: String) -> Bool { path.hasPrefix("/v1/") || path == "/v1" }
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
            Refusal.explain(error.detail)
            return ABMErrorBody.response(error)
        } catch let error as PortalError {
            Refusal.explain(error.message)
            return ABMErrorBody.response(ABMErrorBody.error(status: error.code.status, detail: error.message))
        } catch let error as HTTPError {
            return ABMErrorBody.response(
                ABMErrorBody.error(status: Int(error.status.code), detail: error.body ?? error.status.reasonPhrase))
        }
    }
}
