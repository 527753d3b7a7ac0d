import DEPWire
import HTTPTypes

/// A request refused for how it is framed rather than for what it asks: a body too large, a
/// body that is not valid HTTP, a transfer coding the server does not decode. Each surface
/// renders it in its own way (`ErrorMiddleware`).
struct RequestRefusal: Error, Equatable {
    let status: HTTPResponse.Status
    /// The portal's error code.
    let code: String
    /// The portal's message: what was wrong and what to do.
    let message: String
    /// The plain-text body Apple's surfaces answer with.
    let plainBody: String

    /// The body is larger than the action accepts: `limit` bytes, where known.
    static func bodyTooLarge(limit: Int?) -> RequestRefusal {
        let most = limit.map { $0 % (1 << 20) == 0 ? " (\($0 >> 20) MiB at most)" : " (\($0) bytes at most)" }
        return RequestRefusal(
            status: .contentTooLarge, code: "TOO_LARGE",
            message: "The request body is larger than this action accepts\(most ?? "").",
            plainBody: HTTPResponse.Status.contentTooLarge.reasonPhrase)
    }

    /// The body's framing is not valid HTTP/1.1 (a chunk size that is not hexadecimal, or too
    /// large to be one).
    static let malformedBody = RequestRefusal(
        status: .badRequest, code: "MALFORMED_BODY", message: "The request body is not valid HTTP/1.1 framing.",
        plainBody: DEPErrorCode.malformedRequestBody.rawValue)

    /// `Transfer-Encoding` does not end in `chunked`: RFC 9112 §6.3 leaves no way to tell where
    /// the body ends, and asks for 400 and a closed connection.
    static let unframedBody = RequestRefusal(
        status: .badRequest, code: "MALFORMED_BODY",
        message: "Transfer-Encoding must end in chunked; send the body plain with a Content-Length, or chunked.",
        plainBody: DEPErrorCode.malformedRequestBody.rawValue)

    /// `Transfer-Encoding` lists a coding other than `chunked`. RFC 9112 §6.1: a server that
    /// receives a transfer coding it does not understand SHOULD answer 501 (Not Implemented);
    /// 400 is for framing it cannot parse, and this framing parses: only its coding is unknown.
    static func unsupportedTransferCoding(_ coding: String) -> RequestRefusal {
        RequestRefusal(
            status: .notImplemented, code: "UNSUPPORTED_TRANSFER_CODING",
            message: "The transfer coding \"\(coding)\" is not supported; send the body plain or chunked.",
            plainBody: HTTPResponse.Status.notImplemented.reasonPhrase)
    }
}
