public import Foundation

/// The package's executables, for tests that run them as a user would.
public enum BuiltBinary {
    /// The executable `name` if it is built: beside the test bundle, or in the repository's
    /// `.build/debug`.
    public static func url(_ name: String) -> URL? {
        let bundle = Bundle.main.bundleURL
        let candidates = [
            bundle.appendingPathComponent(name),
            bundle.deletingLastPathComponent().appendingPathComponent(name),
            Repository.url(".build/debug/\(name)"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
