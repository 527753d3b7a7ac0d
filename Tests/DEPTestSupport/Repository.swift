public import Foundation

/// Where the repository's files are, for tests that read them (schemas, scripts, mock data).
public enum Repository {
    /// The repository root, found from this file's place in `Tests/DEPTestSupport/`.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file or folder of the repository.
    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }
}
