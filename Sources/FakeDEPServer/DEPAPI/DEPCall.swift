import DEPWire
import Foundation
import HTTPTypes
import Hummingbird

/// What every DEP API request carries besides its body (dep-api §2.6), checked in one place.
struct DEPCall {
    /// The `X-ADM-Auth-Session` value, if any; `World` decides whether it is good.
    let session: String?
    let version: ProtocolVersion

    static let sessionHeader = HTTPField.Name(DEPHeader.authSession)!
    static let versionHeader = HTTPField.Name(DEPHeader.protocolVersion)!

    /// Reads the headers; 400 `USER_AGENT_MISSING` without a `User-Agent`, 400
    /// `USER_AGENT_INVALID` for one with control characters or over 1024 bytes (Apple's own rule
    /// is unknown, dep-api §11.6).
    init(_ request: Request) throws {
        guard let agent = request.headers[.userAgent], !agent.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DEPError(.userAgentMissing)
        }
        guard agent.utf8.count <= 1024, !agent.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else {
            throw DEPError(.userAgentInvalid)
        }
        session = request.headers[Self.sessionHeader]
        version = ProtocolVersion(header: request.headers[Self.versionHeader])
    }

    /// The largest JSON body accepted: 1000 serials of any length fit many times over.
    static let maximumBodySize = 1 << 20

    /// Decodes the JSON body; anything that is not the expected JSON, or too large, is 400
    /// `MALFORMED_REQUEST_BODY`. An empty body reads as `{}` where `emptyIsObject` says so.
    static func body<T: Decodable>(_ type: T.Type, of request: Request, emptyIsObject: Bool = false) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodySize)
        } catch {
            Refusal.explain("the body is over \(maximumBodySize) bytes, or its framing is broken")
            throw DEPError(.malformedRequestBody)
        }
        var data = Data(buffer: buffer)
        if emptyIsObject, data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            data = Data("{}".utf8)
        }
        do {
            return try DEPJSON.decode(type, from: data)
        } catch {
            Refusal.explain("the body is not the JSON this call takes: \(JSONPath.describe(error))")
            throw DEPError(.malformedRequestBody)
        }
    }

    /// A success: compact JSON with Apple's `application/json;charset=UTF8`.
    static func json(_ value: some Encodable) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: DEPHeader.jsonContentType],
            body: .init(byteBuffer: ByteBuffer(bytes: try DEPJSON.encodeBytes(value))))
    }

    /// A success whose compact JSON body is already written.
    static func json(body: [UInt8]) -> Response {
        Response(
            status: .ok, headers: [.contentType: DEPHeader.jsonContentType],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A success with an empty body.
    static var empty: Response { Response(status: .ok, headers: [.contentType: DEPHeader.jsonContentType]) }
}

extension Data {
    init(buffer: ByteBuffer) {
        self = buffer.withUnsafeReadableBytes { Data($0) }
    }
}
