import GRDB

/// The fake's SQLite database: a file (WAL, so reads do not wait for writes) or `:memory:`.
///
/// Every change runs in one write transaction: a request that fails changes nothing, and a
/// change is on disk before it is acknowledged. GRDB runs the blocking SQLite calls on its own
/// queues, so awaiting them never blocks the cooperative pool.
struct Store: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path`, or an in-memory one for `:memory:`.
    init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // WAL with NORMAL sync: a commit survives a crash of the process (kill -9), which is
            // the durability a local fake owes; only a power cut may lose the last commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A larger page cache for the one writer (bulk assignment walks 100,000 rows and their
            // indexes), a small one for each reader: memory stays bounded at any organisation
            // size. Temporary tables and statement journals stay in files (the OS caches them):
            // in memory, one 100,000-device update held 200 MB of journal.
            let cacheKiB = db.configuration.readonly ? 4 << 10 : 32 << 10
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
        }
        if path == ":memory:" {
            writer = try DatabaseQueue(configuration: configuration)
        } else {
            writer = try DatabasePool(path: path, configuration: configuration)
        }
        try Schema.migrator.migrate(writer)
    }

    /// Runs `work` in one write transaction.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write(work)
    }

    /// Runs `work` against a consistent snapshot.
    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.read(work)
    }
}
