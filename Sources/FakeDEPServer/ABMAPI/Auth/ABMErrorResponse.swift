import DEPWire
import Foundation
import HTTPTypes
import Hummingbird

extension ErrorResponse {
    /// One error as Apple's `/v1/` API answers it: `application/json`, a fresh `id`, `status`
    /// matching the response's (peers §5.4). Also says why in the request's journal entry.
    static func response(status: HTTPResponse.Status, code: String, title: String, detail: String) -> Response {
        Refusal.explain(detail)
        let body = ErrorResponse(
            .init(
                id: UUID().uuidString.lowercased(), status: status.code, code: code, title: title, detail: detail))
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: (try? DEPJSON.encodeBytes(body)) ?? [])))
    }
}
