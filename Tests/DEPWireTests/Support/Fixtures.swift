import DEPTestSupport
import Foundation

/// Files the tests read: the golden examples beside the tests and the repository's schemas.
enum Fixtures {
    static let directory = Repository.url("Tests/DEPWireTests/Fixtures")

    /// The dep-api.md example bodies, named `<Type>-<what>.json`.
    static var examples: [URL] {
        let folder = directory.appendingPathComponent("Examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
    }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(relativePath))
    }
}
