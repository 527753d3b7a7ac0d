import Foundation

/// The served OpenAPI document as the tests read it: its version, the operations it
/// lists, and where in it the schema of each answer is.
struct DocumentedAPI {
    /// A document the tests cannot read.
    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    private let root: [String: Any]

    init(_ json: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw Unreadable(description: "the OpenAPI document is not a JSON object")
        }
        self.root = root
    }

    /// `info.version`.
    var version: String? { (root["info"] as? [String: Any])?["version"] as? String }

    /// Every operation, as `GET /_fakedep/worlds/{world}`.
    var operations: Set<String> {
        let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        let paths = root["paths"] as? [String: [String: Any]] ?? [:]
        return Set(
            paths.flatMap { path, item in
                methods.filter { item[$0] != nil }.map { "\($0.uppercased()) \(path)" }
            })
    }

    /// The JSON pointer of the schema of the JSON answer that `method path` (as the document
    /// spells the path) gives with `status`, or its `default` answer when the status is not
    /// listed; a shared answer (`#/components/responses/…`) is followed to where it is written.
    func responseSchema(_ method: String, _ path: String, status: Int) throws -> String {
        let operation = ["paths", path, method.lowercased()]
        guard let responses = value(at: operation + ["responses"]) as? [String: Any] else {
            throw Unreadable(description: "the document has no \(method) \(path)")
        }
        let key = responses["\(status)"] != nil ? "\(status)" : "default"
        var response = operation + ["responses", key]
        if let reference = (value(at: response) as? [String: Any])?["$ref"] as? String {
            guard reference.hasPrefix("#/") else {
                throw Unreadable(description: "\(method) \(path) \(key) refers outside the document: \(reference)")
            }
            response = reference.dropFirst(2).split(separator: "/").map { Self.unescape(String($0)) }
        }
        let schema = response + ["content", "application/json", "schema"]
        guard value(at: schema) != nil else {
            throw Unreadable(description: "\(method) \(path) answers \(status) with no JSON schema")
        }
        return schema.map { "/" + Self.escape($0) }.joined()
    }

    /// Whether `method path` lists an answer of `status` of its own (not only `default`).
    func lists(_ method: String, _ path: String, status: Int) -> Bool {
        value(at: ["paths", path, method.lowercased(), "responses", "\(status)"]) != nil
    }

    /// Whether `method path` asks for no credentials (`security: []`) whatever the document's
    /// own `security` says.
    func isOpen(_ method: String, _ path: String) -> Bool {
        (value(at: ["paths", path, method.lowercased(), "security"]) as? [Any])?.isEmpty ?? false
    }

    /// Whether `method path` takes the document's own `security` (the admin token, where the
    /// server has one) rather than naming credentials of its own, as Apple's surfaces do.
    func asksForAdminToken(_ method: String, _ path: String) -> Bool {
        value(at: ["paths", path, method.lowercased(), "security"]) == nil
    }

    private func value(at path: [String]) -> Any? {
        var node: Any? = root
        for key in path { node = (node as? [String: Any])?[key] }
        return node
    }

    /// A key as one JSON pointer token (RFC 6901 §3).
    private static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    private static func unescape(_ token: String) -> String {
        token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
}
