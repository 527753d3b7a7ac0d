import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The portal's refusal body, `{"error": CODE, "message": TEXT}`, read strictly: exactly those
/// two keys, both non-empty strings.
struct PortalProblem: Equatable, CustomStringConvertible {
    var status: Int
    var error: String
    var message: String

    var description: String { "\(status) \(error): \(message)" }

    /// Reads a refusal; throws when the body is not the portal's error shape.
    init(_ response: HTTPResponse) throws {
        let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        guard let object, Set(object.keys) == ["error", "message"], let error = object["error"] as? String,
            let message = object["message"] as? String, !error.isEmpty, !message.isEmpty
        else { throw PortalCallFailure(response: response, expected: "the portal's error shape") }
        status = response.status
        self.error = error
        self.message = message
    }
}

/// A portal answer that was not what a test expected.
struct PortalCallFailure: Error, CustomStringConvertible {
    let response: HTTPResponse
    let expected: String

    var description: String { "expected \(expected), got \(response.status): \(response.text)" }
}

extension PortalReport {
    /// The outcome of each line, in order.
    var outcomes: [String] { lines.map(\.outcome) }
}

extension TestServer {
    /// Sends a portal request, with a JSON body when one is given.
    func portal(_ method: String, _ path: String, json: String? = nil) async throws -> HTTPResponse {
        try await send(method, portalPrefix + path, json: json)
    }

    /// Sends a portal request that must succeed (2xx) and decodes its JSON answer.
    func portalValue<T: Decodable>(_ type: T.Type, _ method: String, _ path: String, json: String? = nil)
        async throws -> T
    {
        let response = try await portal(method, path, json: json)
        guard (200..<300).contains(response.status) else {
            throw PortalCallFailure(response: response, expected: "a 2xx answer to \(method) \(path)")
        }
        return try DEPJSON.decode(type, from: response.body)
    }

    /// Sends a portal request that must be refused, in the portal's JSON, and returns the refusal.
    func portalProblem(_ method: String, _ path: String, json: String? = nil) async throws -> PortalProblem {
        let response = try await portal(method, path, json: json)
        #expect(response.header("Content-Type") == "application/json")
        return try PortalProblem(response)
    }

    /// Every device the portal lists for `query` (without `limit` or `after`), page by page.
    func portalDevices(_ query: String = "") async throws -> [PortalDevice] {
        var devices: [PortalDevice] = []
        var after: String?
        repeat {
            var parameters = ["limit=1000"]
            if !query.isEmpty { parameters.append(query) }
            if let after { parameters.append("after=\(PortalPath.escape(after))") }
            let page = try await portalValue(DevicePage.self, "GET", "/devices?" + parameters.joined(separator: "&"))
            devices += page.devices
            after = page.next
        } while after != nil
        return devices
    }

    /// The serials of the devices the portal lists for `query`, in serial order.
    func portalSerials(_ query: String = "") async throws -> [String] {
        try await portalDevices(query).map(\.serialNumber)
    }

    /// The default world's whole state, as its snapshot holds it (without the header, which says
    /// when it was taken): equal before and after, nothing changed.
    func storeState() async throws -> Data {
        SnapshotTests.body(of: try await SnapshotTests.snapshot(self, "default"))
    }

    /// Creates a server through the portal and returns its summary.
    @discardableResult
    func createPortalServer(_ name: String) async throws -> MDMServerSummary {
        try await portalValue(
            MDMServerSummary.self, "POST", "/servers", json: #"{"name":\#(try DEPJSON.encodeString(name))}"#)
    }

    /// Assigns serials to a server through the portal and returns the report.
    @discardableResult
    func assign(_ serials: [String], to server: String) async throws -> PortalReport {
        try await portalValue(
            PortalReport.self, "POST", "/servers/\(PortalPath.escape(server))/devices",
            json: #"{"serials":\#(try DEPJSON.encodeString(serials))}"#)
    }
}

/// Percent-encoding for a path segment or query value: RFC 3986 unreserved characters stay,
/// every other UTF-8 byte is escaped.
enum PortalPath {
    /// `text` escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                escaped += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return escaped
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
