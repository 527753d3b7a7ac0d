public import FakeDEPServer
import Foundation

/// A world's request journal, as `/_fakedep/worlds/{id}/journal` serves it: the last requests
/// with what they asked and answered (secrets redacted) and why a refusal refused, counters per
/// operation, and a wait that ends as soon as enough requests came, so a test never sleeps.
public struct FakeJournal: Sendable {
    let worldID: String
    let worlds: WorldRegistry

    /// The kept entries `filter` matches, oldest first; the last `limit` of them when given.
    public func entries(matching filter: JournalFilter = JournalFilter(), limit: Int? = nil) throws -> [JournalEntry] {
        try filter.validate()
        return try journal.entries(filter, limit: limit)
    }

    /// How many kept entries `filter` matches.
    public func count(matching filter: JournalFilter = JournalFilter()) throws -> Int {
        try filter.validate()
        return try journal.count(filter)
    }

    /// How many requests of each operation the world has had, those no longer kept included.
    public var counters: [String: Int] {
        get throws { try journal.counters }
    }

    /// Waits until at least `count` kept entries match `filter`, or `timeout` passes (at most 300
    /// seconds), and answers whether they did with the matching entries.
    public func waitFor(
        count: Int = 1, matching filter: JournalFilter = JournalFilter(), timeout: Duration = .seconds(30)
    ) async throws -> JournalWaitResult {
        try await journal.awaitEntries(count: count, matching: filter, timeout: timeout.timeInterval)
    }

    /// Forgets every entry and counter.
    public func clear() throws {
        try journal.clear()
    }

    private var journal: Journal {
        get throws { try worlds.journal(worldID) }
    }
}
