import Foundation

extension Scenario {
    /// The names of the scenarios fakedep ships (`MockData/scenarios/`), one per pain point of
    /// Apple's service, each saying what it reproduces and how a correct client behaves.
    public static var shippedNames: [String] {
        let directory = Bundle.module.url(forResource: "scenarios", withExtension: nil, subdirectory: "MockData")
        let files = directory.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) } ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The shipped scenario `name`, or `404 NOT_FOUND` naming those there are.
    public static func shipped(_ name: String) throws -> Scenario {
        guard shippedNames.contains(name) else {
            throw PortalError(
                .notFound, "fakedep ships no scenario \"\(name)\"; it ships \(shippedNames.joined(separator: ", ")).")
        }
        return try Scenario(json: try MockData.file("scenarios/\(name).json"))
    }

    /// The scenario in the file at `path`, or, when there is no such file, the shipped one named so.
    public static func load(_ path: String) throws -> Scenario {
        guard FileManager.default.fileExists(atPath: path) else { return try shipped(path) }
        return try Scenario(json: try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
