public import Foundation

/// Runs `scripts/validate-json` (Python's `jsonschema`) over JSON documents.
public enum SchemaValidator {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Validates each `(schema name, JSON bytes)` pair against `Schemas/dep`; throws with the
    /// validator's report.
    public static func validate(_ documents: [(schema: String, json: Data)]) throws {
        try run(
            documents.map { ["schema": $0.schema, "instance": try JSONSerialization.jsonObject(with: $0.json)] })
    }

    /// Validates each `(JSON pointer, JSON bytes)` pair against the schema at that pointer of the
    /// OpenAPI 3.1 document at `openAPIDocument` (its `$ref`s resolved within the document);
    /// throws with the validator's report.
    public static func validate(_ documents: [(schema: String, json: Data)], in openAPIDocument: URL) throws {
        try run(
            documents.map {
                [
                    "document": openAPIDocument.path, "schema": $0.schema,
                    "instance": try JSONSerialization.jsonObject(with: $0.json, options: .fragmentsAllowed),
                ]
            })
    }

    private static func run(_ items: [[String: Any]]) throws {
        let input = try JSONSerialization.data(withJSONObject: items)

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputFile = scratch.appendingPathComponent("input.json")
        let outputFile = scratch.appendingPathComponent("report")
        let errorFile = scratch.appendingPathComponent("errors")
        try input.write(to: inputFile)
        let pid = try Spawn.start(
            Repository.url("scripts/validate-json").path, [], environment: ProcessInfo.processInfo.environment,
            directory: scratch.path, input: inputFile.path, output: outputFile.path, error: errorFile.path)
        let status = Spawn.waitBlocking(for: pid)
        let report = [outputFile, errorFile].compactMap { try? String(contentsOf: $0, encoding: .utf8) }.joined()
        guard status == 0 else {
            throw Failure(description: "schema validation failed (exit \(status)):\n\(report)")
        }
    }
}
