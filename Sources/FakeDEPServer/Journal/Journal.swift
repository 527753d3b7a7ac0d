import Foundation
import Synchronization

/// A world's request journal: the last `capacity` entries in a ring, counters per operation that
/// outlive eviction, and waiters parked until enough matching entries exist (how a test waits for
/// an MDM's background sync without sleeping).
public final class Journal: Sendable {
    private struct Waiter {
        var filter: JournalFilter
        var count: Int
        var continuation: CheckedContinuation<Bool, Never>
        var id: Int
    }

    private struct State {
        var entries: [JournalEntry] = []
        /// Where the oldest entry is once the ring is full.
        var start = 0
        var nextSeq = 1
        var counters: [String: Int] = [:]
        var waiters: [Waiter] = []
        var nextWaiterID = 0
    }

    /// The most entries kept.
    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 10_000) {
        precondition(capacity > 0, "a journal keeps at least one entry")
        self.capacity = capacity
    }

    /// Adds an entry (its `seq` is given here) and wakes the waiters it satisfies.
    public func record(_ entry: JournalEntry) {
        let woken: [CheckedContinuation<Bool, Never>] = state.withLock { state in
            var entry = entry
            entry.seq = state.nextSeq
            state.nextSeq += 1
            state.counters[entry.operation, default: 0] += 1
            if state.entries.count < capacity {
                state.entries.append(entry)
            } else {
                state.entries[state.start] = entry
                state.start = (state.start + 1) % capacity
            }
            guard !state.waiters.isEmpty else { return [] }
            let ordered = Self.ordered(state)
            var woken: [CheckedContinuation<Bool, Never>] = []
            state.waiters.removeAll { waiter in
                guard ordered.lazy.filter(waiter.filter.matches).count >= waiter.count else { return false }
                woken.append(waiter.continuation)
                return true
            }
            return woken
        }
        for continuation in woken { continuation.resume(returning: true) }
    }

    /// The matching entries, oldest first; the last `limit` of them when a limit is given.
    public func entries(_ filter: JournalFilter = JournalFilter(), limit: Int? = nil) -> [JournalEntry] {
        let matching = state.withLock { Self.ordered($0).filter(filter.matches) }
        guard let limit else { return matching }
        return Array(matching.suffix(limit))
    }

    /// How many kept entries match.
    public func count(_ filter: JournalFilter = JournalFilter()) -> Int {
        state.withLock { Self.ordered($0).lazy.filter(filter.matches).count }
    }

    /// How many requests of each operation the world has had, evicted ones included.
    public var counters: [String: Int] { state.withLock { $0.counters } }

    /// Forgets every entry and counter (waiters stay).
    public func clear() {
        state.withLock { state in
            state.entries = []
            state.start = 0
            state.counters = [:]
        }
    }

    /// Waits until at least `count` kept entries match, or `timeout` passes; whether they did.
    public func wait(for count: Int, matching filter: JournalFilter, timeout: Duration) async -> Bool {
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let satisfied = self.state.withLock { state -> Bool in
                        if Self.ordered(state).lazy.filter(filter.matches).count >= count { return true }
                        state.waiters.append(Waiter(filter: filter, count: count, continuation: continuation, id: id))
                        return false
                    }
                    if satisfied { continuation.resume(returning: true) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.expire(id)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            if first { self.expire(id) }
            return first
        }
    }

    /// Resumes waiter `id` with `false` if it is still parked.
    private func expire(_ id: Int) {
        let parked = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index).continuation
        }
        parked?.resume(returning: false)
    }

    private static func ordered(_ state: State) -> [JournalEntry] {
        guard state.start > 0 else { return state.entries }
        return Array(state.entries[state.start...] + state.entries[..<state.start])
    }
}
