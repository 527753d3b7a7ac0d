public import Foundation

/// Runs `scripts/validate-json` (Python's `jsonschema`) over JSON documents.
public enum SchemaValidator {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Validates each `(schema name, JSON bytes)` pair; throws with the validator's report.
    public static func validate(_ documents: [(schema: String, json: Data)]) throws {
        var items: [Any] = []
        for document in documents {
            items.append(["schema": document.schema, "instance": try JSONSerialization.jsonObject(with: document.json)])
        }
        let input = try JSONSerialization.data(withJSONObject: items)

        let process = Process()
        process.executableURL = Repository.url("scripts/validate-json")
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let report = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "schema validation failed (exit \(process.terminationStatus)):\n\(report)")
        }
    }
}
