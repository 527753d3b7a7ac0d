import Foundation
import GRDB

/// The agent's SQLite store (`depsync.sqlite` in the state directory, readable only by its
/// owner: it holds the server token).
///
/// Each change is one transaction: a page of devices and the cursor that follows it commit
/// together or not at all, so a killed agent resumes exactly where its store says.
public struct LocalStore: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the store at `path`, or an in-memory one for `:memory:`.
    public init(path: String) throws {
        var configuration = Configuration()
        // Another depsync (a daemon, say) may be writing: wait for it rather than fail.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // A commit survives a killed process; only a power cut may lose the last ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 1 MiB for each connection: a page's rows are written once, through a scratch table,
            // and the operating system caches the file anyway. 16 MiB held 12 MB more of a
            // 100,000-device full fetch's peak RSS than 4 MiB, and 4 MiB 3 MB more than 1 MiB,
            // neither saving measurable CPU (`scripts/benchmark-depsync`).
            try db.execute(sql: "PRAGMA cache_size = -\(1 << 10)")
        }
        if path == ":memory:" {
            writer = try DatabaseQueue(configuration: configuration)
        } else {
            let existed = FileManager.default.fileExists(atPath: path)
            if !existed {
                _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            writer = try DatabasePool(path: path, configuration: configuration)
        }
        try LocalSchema.migrator.migrate(writer)
    }

    /// The store of a state directory, created with the directory when missing.
    public static func open(stateDirectory: String) throws -> LocalStore {
        try FileManager.default.createDirectory(
            atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return try LocalStore(path: (stateDirectory as NSString).appendingPathComponent("depsync.sqlite"))
    }

    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write(work)
    }

    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.read(work)
    }
}

extension Date {
    /// Unix seconds, as the store keeps times.
    var storeValue: Double { timeIntervalSince1970 }

    init?(storeValue: Double?) {
        guard let storeValue else { return nil }
        self.init(timeIntervalSince1970: storeValue)
    }
}
