import Foundation

/// The OpenAPI 3.1 document of every surface fakedep serves, put together from one file per
/// surface under `Resources/OpenAPI/`: `fakedep.json` holds the document's head (version,
/// description, tags) and what the surfaces share; `dep.json`, `portal.json`, `device.json`,
/// `abm.json` and `control.json` each hold one surface's `paths` and `components`. A surface is
/// read and changed in its own file, next to nothing else; the served document is their union,
/// made once when first asked for. A path or component named in two files is an error rather
/// than one quietly winning.
enum OpenAPIDocument {
    /// The files of the surfaces, merged into `fakedep.json` in this order.
    static let surfaces = ["dep", "portal", "device", "abm", "control"]

    /// A part that cannot be merged: unreadable, or naming what another part names.
    struct MergeError: Error, CustomStringConvertible {
        let description: String
    }

    /// The merged document as served (compact JSON, keys sorted), or why it could not be made.
    static let served: Result<Data, MergeError> = Result {
        guard let directory else {
            throw MergeError(description: "the bundled OpenAPI directory is missing; rebuild fakedep")
        }
        return try merged(from: directory)
    }.mapError { $0 as? MergeError ?? MergeError(description: "\($0)") }

    /// Where the parts are bundled.
    static let directory = Bundle.module.url(forResource: "OpenAPI", withExtension: nil)

    /// `fakedep.json` in `directory` with every surface's paths and components added.
    static func merged(from directory: URL) throws -> Data {
        var document = try object(directory.appendingPathComponent("fakedep.json"))
        for surface in surfaces {
            let part = try object(directory.appendingPathComponent("\(surface).json"))
            if let unknown = part.keys.first(where: { $0 != "paths" && $0 != "components" }) {
                throw MergeError(
                    description: "\(surface).json: a surface's part holds paths and components, not \(unknown)")
            }
            try merge(part["paths"], into: &document, at: "paths", from: surface)
            let components = part["components"] as? [String: Any] ?? [:]
            var merged = document["components"] as? [String: Any] ?? [:]
            for (kind, entries) in components {
                try merge(entries, into: &merged, at: kind, from: surface, prefix: "components/")
            }
            document["components"] = merged
        }
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// Adds the entries of the object `part` to `document[key]`, refusing a name already there.
    private static func merge(
        _ part: Any?, into document: inout [String: Any], at key: String, from surface: String, prefix: String = ""
    ) throws {
        guard let part else { return }
        guard let entries = part as? [String: Any] else {
            throw MergeError(description: "\(surface).json: \(prefix)\(key) is not an object")
        }
        var target = document[key] as? [String: Any] ?? [:]
        for (name, value) in entries {
            guard target[name] == nil else {
                throw MergeError(description: "\(surface).json: \(prefix)\(key) \(name) is already in another part")
            }
            target[name] = value
        }
        document[key] = target
    }

    private static func object(_ file: URL) throws -> [String: Any] {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw MergeError(description: "\(file.lastPathComponent) cannot be read: \(error.localizedDescription)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw MergeError(description: "\(file.lastPathComponent) is not a JSON object")
        }
        return object
    }
}
