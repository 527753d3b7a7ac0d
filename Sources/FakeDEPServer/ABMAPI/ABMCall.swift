import DEPWire
import Foundation
import Hummingbird

/// What every ABM API route reads from its request: the base its links are built on, query
/// parameters, the JSON body; and how it writes a JSON answer.
///
/// Links are absolute and built from the request itself (`http://` and its `Host`), so a
/// client that reached fakedep on `127.0.0.1:PORT` follows `links.next` and `downloadUrl` back
/// to the same fakedep, the way Apple's links lead back to `api-business.apple.com`.
struct ABMCall {
    let request: Request
    /// `http://host:port`, from the request.
    let base: String

    init(_ request: Request) {
        self.request = request
        base = (request.head.scheme ?? "http") + "://" + (request.head.authority ?? "127.0.0.1")
    }

    /// The query parameter `name`, however the client spelled its brackets (`fields[orgDevices]`
    /// raw or percent-encoded).
    func query(_ name: String) -> String? {
        let parameters = request.uri.queryParameters
        if let value = parameters.get(name) { return value }
        let encoded = name.replacingOccurrences(of: "[", with: "%5B").replacingOccurrences(of: "]", with: "%5D")
        return (parameters.get(encoded) ?? parameters.get(encoded.lowercased()))?.removingPercentEncoding
    }

    /// The paging parameters of list `list`.
    func paging(list: String) throws -> ABMPaging {
        try ABMPaging(limit: query("limit"), cursor: query("cursor"), list: list)
    }

    /// The attribute names `fields[type]` restricts to, checked against `known`; `nil` for all.
    func fields(_ type: String, known: Set<String>) throws -> Set<String>? {
        guard let text = query("fields[\(type)]") else { return nil }
        let names = Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw ABMError.invalidParameter(
                "fields[\(type)]",
                "'\(unknown)' is not an attribute of \(type); use \(known.sorted().joined(separator: ", ")).")
        }
        return names
    }

    /// `path` (absolute, from `/v1`) as a full link.
    func link(_ path: String) -> String { base + path }

    /// The link of the request itself.
    var selfLink: String { base + request.uri.description }

    /// The link of the next page: the request's path with `cursor` and `limit` (and the other
    /// parameters it had) when there is one.
    func nextLink(cursor: String?, limit: Int) -> String? {
        guard let cursor else { return nil }
        var parameters = ["cursor=\(cursor)", "limit=\(limit)"]
        for (key, value) in request.uri.queryParameters where key != "cursor" && key != "limit" {
            parameters.append("\(key)=\(value)")
        }
        return base + request.uri.path + "?" + parameters.joined(separator: "&")
    }

    /// The largest body an ABM call reads.
    static let maximumBodySize = 4 << 20

    /// Decodes the JSON body: 400 when it is not JSON, 422 (with the pointer of what is wrong)
    /// when it is JSON of another shape.
    func body<T: Decodable>(_ type: T.Type) async throws -> T {
        let data = Data(buffer: try await request.body.collect(upTo: Self.maximumBodySize))
        guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
            throw ABMError(
                status: 400, code: "ENTITY_ERROR", title: "The request entity is not valid JSON.",
                detail: "The body must be a JSON:API document.", source: .pointer(""))
        }
        do {
            return try DEPJSON.decode(type, from: data)
        } catch let error as DecodingError {
            throw ABMError.unprocessable(Self.pointer(of: error), JSONPath.describe(error))
        }
    }

    /// The JSON pointer of what a decoding error is about.
    private static func pointer(of error: DecodingError) -> String {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
        @unknown default: return ""
        }
        return path.map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
    }

    /// A JSON answer.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try DEPJSON.encodeBytes(value))))
    }
}
