import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import Foundation
import Testing

/// An ABM API answer: its status and body.
struct ABMAnswer: Sendable {
    let status: Int
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as `T`; the answer must be a success.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard (200..<300).contains(status) else { throw UnexpectedABMAnswer(description: "\(status): \(text)") }
        return try DEPJSON.decode(type, from: body)
    }

    /// The first error of an `ErrorResponse`, after validating the body against its schema.
    func error() throws -> (status: String, code: String, source: [String: String]?) {
        try SchemaValidator.validate([("abm/ErrorResponse", body)])
        let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        guard let entry = (object?["errors"] as? [[String: Any]])?.first, let status = entry["status"] as? String,
            let code = entry["code"] as? String
        else { throw UnexpectedABMAnswer(description: "not an ErrorResponse: \(text)") }
        return (status, code, entry["source"] as? [String: String])
    }
}

/// An ABM answer that was not what a test expected.
struct UnexpectedABMAnswer: Error, CustomStringConvertible {
    let description: String
}

extension TestServer {
    /// Sends an ABM API request with this view's world's bearer token (minted again once if the
    /// token has expired in world time): every ABM call of the tests goes through here. `path`
    /// is from `/v1/`, or a full link fakedep gave out (`links.next`, `downloadUrl`).
    func abm(_ method: String, _ path: String, json: String? = nil) async throws -> ABMAnswer {
        let path = path.hasPrefix(baseURL) ? String(path.dropFirst(baseURL.count)) : path
        var answer = try await abm(method, path, json: json, bearer: try await abmBearer())
        if answer.status == 401 {
            answer = try await abm(method, path, json: json, bearer: try await abmBearer(renew: true))
        }
        return answer
    }

    private func abm(_ method: String, _ path: String, json: String?, bearer: String) async throws -> ABMAnswer {
        var headers: [(name: String, value: String)] = [
            ("Accept", "application/json"), ("Authorization", "Bearer \(bearer)"),
        ]
        if json != nil { headers.append(("Content-Type", "application/json")) }
        let response = try await http.send(
            HTTPRequest(method: method, url: baseURL + path, headers: headers, body: json.map { Data($0.utf8) }))
        return ABMAnswer(status: response.status, body: response.body)
    }

    /// `GET`s an ABM API resource.
    func abmGET(_ path: String) async throws -> ABMAnswer { try await abm("GET", path) }

    /// Every device of the ABM list, following `links.next` from the first page at `limit`.
    func abmAllDevices(limit: Int) async throws -> (devices: [OrgDevice], pages: Int) {
        var devices: [OrgDevice] = []
        var next: String? = "/v1/orgDevices?limit=\(limit)"
        var pages = 0
        while let link = next {
            let page = try await abmGET(link).decode(ABMListDocument<OrgDevice>.self)
            devices += page.data
            pages += 1
            next = page.links.next
            #expect(page.meta?.paging.limit == limit)
            #expect((page.links.next == nil) == (page.nextCursor == nil))
        }
        return (devices, pages)
    }

    /// Creates an activity; it must be accepted.
    func abmActivity(_ request: OrgDeviceActivityCreateRequest) async throws -> OrgDeviceActivity {
        let answer = try await abm("POST", "/v1/orgDeviceActivities", json: try DEPJSON.encodeString(request))
        guard answer.status == 201 else { throw UnexpectedABMAnswer(description: "\(answer.status): \(answer.text)") }
        try SchemaValidator.validate([("abm/OrgDeviceActivityResponse", answer.body)])
        return try answer.decode(ABMDocument<OrgDeviceActivity>.self).data
    }
}
