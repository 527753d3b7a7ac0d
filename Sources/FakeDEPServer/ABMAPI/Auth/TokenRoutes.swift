import DEPWire
import Foundation
import HTTPTypes
import Hummingbird

/// Apple's OAuth 2 token endpoint for the Business/School Manager API (peers §5.2):
/// `POST /auth/oauth2/v2/token` (nanoaxm, a form body) and `POST /auth/oauth2/token` (Apple's curl,
/// the parameters in the query string); both paths take both placements.
struct TokenRoutes {
    static let paths: Set<String> = ["/auth/oauth2/token", "/auth/oauth2/v2/token"]

    /// The largest body read: five parameters, the assertion a few hundred bytes.
    static let maximumBodySize = 64 << 10

    func add(to router: Router<FakeDEPContext>) {
        for path in Self.paths.sorted() {
            router.post(RouterPath(path)) { request, context in
                do {
                    let tokenRequest = try TokenRequest(parameters: try await Self.parameters(of: request))
                    let response = try await context.world.issueAccessToken(tokenRequest)
                    return Self.json(try DEPJSON.encodeBytes(response), status: .ok)
                } catch let error as OAuth2Error {
                    Refusal.explain(error.description)
                    return Self.response(TokenRefusal(error.error, error.errorDescription ?? error.error.rawValue))
                } catch let refusal as TokenRefusal {
                    return Self.response(refusal)
                }
            }
        }
    }

    /// The query string's parameters followed by the form body's. A body in another media type
    /// is refused: RFC 6749 §4.4.2 takes the form encoding only.
    private static func parameters(of request: Request) async throws -> [(name: String, value: String)] {
        var pairs = try FormEncoding.decode(request.uri.query ?? "").orRefused("The query string")
        let body = try await request.body.collect(upTo: maximumBodySize)
        guard body.readableBytes > 0 else { return pairs }
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw OAuth2Error(
                .invalidRequest,
                "The body is \(mediaType ?? "of no Content-Type"); send the parameters as "
                    + "application/x-www-form-urlencoded.")
        }
        pairs += try FormEncoding.decode(String(decoding: body.readableBytesView, as: UTF8.self))
            .orRefused("The body")
        return pairs
    }

    /// The `client_id` of a token request, from its query string or form body, for choosing the
    /// world before routing; with the request whose body was read, holding it again.
    static func clientID(of request: Request) async throws -> (String?, Request) {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maximumBodySize)
        } catch {
            throw TokenRefusal(.invalidRequest, "The body is over \(maximumBodySize) bytes.")
        }
        request.body = RequestBody(buffer: body)
        let texts = [request.uri.query ?? "", String(decoding: body.readableBytesView, as: UTF8.self)]
        let clientID = texts.lazy.compactMap { FormEncoding.decode($0)?.first { $0.name == "client_id" }?.value }.first
        return (clientID, request)
    }

    /// A refusal as RFC 6749 §5.2 writes it, with `Retry-After` when there is a wait.
    static func response(_ refusal: TokenRefusal) -> Response {
        var response = json((try? DEPJSON.encodeBytes(refusal.error)) ?? [], status: .init(code: refusal.status))
        if let retryAfter = refusal.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    /// JSON that no cache keeps (RFC 6749 §5.1).
    private static func json(_ bytes: [UInt8], status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json;charset=UTF-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension Optional where Wrapped == [(name: String, value: String)] {
    /// The pairs, or `invalid_request` naming where the encoding is broken.
    fileprivate func orRefused(_ place: String) throws(OAuth2Error) -> [(name: String, value: String)] {
        guard let self else {
            throw OAuth2Error(.invalidRequest, "\(place) is not valid application/x-www-form-urlencoded text.")
        }
        return self
    }
}
