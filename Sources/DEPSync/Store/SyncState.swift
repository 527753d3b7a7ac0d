public import Foundation
import GRDB

/// Where the agent stands with the service: the cursor and what it is a cursor of.
public struct SyncState: Sendable, Hashable {
    /// Whether the next call is a fetch (a full listing, possibly in progress) or a sync.
    public enum Phase: String, Sendable {
        case fetch
        case sync
    }

    /// The newest cursor whose page is stored; `nil` before the first page of a full fetch.
    public var cursor: String?
    public var phase: Phase
    /// When `cursor` was stored (Apple expires cursors after 7 days).
    public var cursorSaved: Date?
    /// The number of the full fetch in progress or last completed (reconciliation marks the
    /// devices it did not list).
    public var fetchGeneration: Int
    /// When a sync round last completed.
    public var lastSync: Date?
    /// When a full fetch last completed.
    public var lastFullFetch: Date?
}

extension LocalStore {
    /// The stored sync state.
    public func syncState() async throws -> SyncState {
        try await read { db in try Self.syncState(db) }
    }

    static func syncState(_ db: Database) throws -> SyncState {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT cursor, phase, cursor_saved, fetch_generation, last_sync, last_full_fetch
                FROM sync_state WHERE id = 1
                """)!
        return SyncState(
            cursor: row[0], phase: SyncState.Phase(rawValue: row[1]) ?? .fetch,
            cursorSaved: Date(storeValue: row[2]), fetchGeneration: row[3],
            lastSync: Date(storeValue: row[4]), lastFullFetch: Date(storeValue: row[5]))
    }

    /// Forgets the cursor so that the next round starts a full fetch (after `EXPIRED_CURSOR` or
    /// `INVALID_CURSOR`, or on request). Devices stay; the fetch reconciles them.
    public func resetCursor() async throws {
        try await write { db in
            try db.execute(sql: "UPDATE sync_state SET cursor = NULL, phase = 'fetch', cursor_saved = NULL")
        }
    }

    /// Moves to sync with the stored cursor (after `EXHAUSTED_CURSOR`: the fetch had ended).
    func switchToSync() async throws {
        try await write { db in try db.execute(sql: "UPDATE sync_state SET phase = 'sync'") }
    }

    /// Notes that a sync round completed at `date`.
    func noteSyncCompleted(at date: Date) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE sync_state SET last_sync = ?", arguments: [date.storeValue])
        }
    }
}
