import DEPWire
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Renders every failure the way its surface speaks: the DEP API as Apple does (status and a
/// bare plain-text code, dep-api §6.2), the portal, the device side and test control as JSON
/// `{"error": CODE, "message": TEXT}`. A body too large for its route is 413 and a body whose
/// HTTP framing is broken is 400 (`RequestRefusal`); anything unexpected is logged and answered
/// 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as DEPError {
            return Self.plain(error.body, status: error.status)
        } catch let error as PortalError {
            return Self.response(error)
        } catch let error as ABMError {
            return ErrorResponse.response(error)
        } catch let error as MethodNotAllowed {
            var response: Response
            if ErrorResponse.isABM(request.uri.path) {
                response = ErrorResponse.response(
                    .generic(status: 405, detail: "This resource takes \(error.allowHeader) only."))
            } else if Self.isPortal(request) {
                response = Self.json(
                    code: "METHOD_NOT_ALLOWED", message: "This address takes \(error.allowHeader) only.", status: 405)
            } else {
                response = Response(status: .methodNotAllowed)
            }
            response.headers[.allow] = error.allowHeader
            return response
        } catch let error as RequestRefusal {
            return Self.render(error, for: request)
        } catch is NIOTooManyBytesError {
            // Its `maxBytes` is what was left of the cap when it tripped, not the cap.
            return Self.render(.bodyTooLarge(limit: nil), for: request)
        } catch is HTTPParserError {
            return Self.render(.malformedBody, for: request)
        } catch let error as HTTPError {
            if ErrorResponse.isABM(request.uri.path) {
                return ErrorResponse.response(
                    .generic(status: Int(error.status.code), detail: error.body ?? error.status.reasonPhrase))
            }
            if Self.isPortal(request) {
                return Self.json(
                    code: "HTTP_\(error.status.code)", message: error.body ?? error.status.reasonPhrase,
                    status: error.status.code)
            }
            return Self.plain(error.status == .notFound ? "" : error.status.reasonPhrase, status: error.status.code)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            if Self.isPortal(request) {
                return Self.json(code: "INTERNAL_ERROR", message: "The request failed: \(error)", status: 500)
            }
            return Self.plain(DEPErrorCode.internalServerError.rawValue, status: 500)
        }
    }

    private static func render(_ refusal: RequestRefusal, for request: Request) -> Response {
        if ErrorResponse.isABM(request.uri.path) {
            return ErrorResponse.response(.generic(status: Int(refusal.status.code), detail: refusal.message))
        }
        if isPortal(request) {
            return json(code: refusal.code, message: refusal.message, status: refusal.status.code)
        }
        return plain(refusal.plainBody, status: refusal.status.code)
    }

    /// Whether `request` is to a surface that answers in JSON: the portal, the device side, test control.
    static func isPortal(_ request: Request) -> Bool { isPortal(path: request.uri.path) }

    /// Whether `path` is on a surface that answers in JSON: the portal, the device side
    /// (`/device/boot/…`, `/device/machine-info/…`; Apple's `/device/activationlock` and
    /// `/device/replacementDetails` are the DEP API's), test control.
    static func isPortal(path: String) -> Bool {
        path.hasPrefix("/portal/") || path.hasPrefix("/device/boot/") || path.hasPrefix("/device/machine-info/")
            || path.hasPrefix("/_fakedep/")
    }

    /// A plain-text answer: Apple's error bodies are the bare code, no trailing newline.
    static func plain(_ body: String, status: Int) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "text/plain;charset=UTF8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A portal, device-side or control refusal in the portal's error shape.
    static func response(_ error: PortalError) -> Response {
        var response = json(code: error.code.rawValue, message: error.message, status: error.code.status)
        // RFC 9110 §11.6.1: a 401 names the scheme that would be accepted.
        if error.code == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    /// The portal's error shape.
    static func json(code: String, message: String, status: Int) -> Response {
        var body = Array(#"{"error":"#.utf8)
        DEPJSON.appendString(code, to: &body)
        body.append(contentsOf: #","message":"#.utf8)
        DEPJSON.appendString(message, to: &body)
        body.append(UInt8(ascii: "}"))
        return Response(
            status: .init(code: status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
