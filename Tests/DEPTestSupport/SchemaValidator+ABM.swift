public import Foundation

extension SchemaValidator {
    /// The parts of an ABM API document that `Schemas/abm` has schemas for: each resource of
    /// `data` against `abm/<resource>`, `links` against `abm/PagedDocumentLinks` (a list) or
    /// `abm/DocumentLinks` (one resource), and `meta` against `abm/PagingInformation`. The
    /// schemas have no document of a device or server list, so a test validates the parts.
    public static func abmParts(of json: Data, resource: String) throws -> [(schema: String, json: Data)] {
        guard let document = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw Failure(description: "an ABM document is a JSON object: \(String(decoding: json, as: UTF8.self))")
        }
        var parts: [(schema: String, json: Data)] = []
        func add(_ schema: String, _ value: Any) throws {
            parts.append(("abm/" + schema, try JSONSerialization.data(withJSONObject: value)))
        }
        switch document["data"] {
        case let list as [Any]:
            for item in list { try add(resource, item) }
            try add("PagedDocumentLinks", document["links"] ?? NSNull())
            if let meta = document["meta"] { try add("PagingInformation", meta) }
        case let item as [String: Any]:
            try add(resource, item)
            try add("DocumentLinks", document["links"] ?? NSNull())
        default:
            throw Failure(description: "an ABM document has data: \(String(decoding: json, as: UTF8.self))")
        }
        return parts
    }

    /// Validates an ABM API document part by part (``abmParts(of:resource:)``).
    public static func validateABM(_ json: Data, resource: String) throws {
        try validate(try abmParts(of: json, resource: resource))
    }
}
