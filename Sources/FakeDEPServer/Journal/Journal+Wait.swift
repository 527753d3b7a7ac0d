public import Foundation

/// What a wait on a journal answers: whether enough entries came in time, and the matching ones.
public struct JournalWaitResult: Codable, Sendable, Hashable {
    public var satisfied: Bool
    public var count: Int
    public var entries: [JournalEntry]

    public init(satisfied: Bool, count: Int, entries: [JournalEntry]) {
        self.satisfied = satisfied
        self.count = count
        self.entries = entries
    }
}

extension Journal {
    /// The longest a wait may park, in seconds: past five minutes a test is stuck, not patient.
    public static let maximumWait: TimeInterval = 300

    /// Waits until at least `count` kept entries match `filter`, or `timeout` seconds pass, and
    /// answers whether they did with the matching entries (`POST …/journal/wait`). A count below
    /// 1, a timeout outside 0 to `maximumWait` or a filter that cannot match is refused at once.
    public func awaitEntries(count: Int, matching filter: JournalFilter, timeout: TimeInterval) async throws
        -> JournalWaitResult
    {
        guard count >= 1, timeout >= 0, timeout <= Self.maximumWait else {
            throw PortalError(
                .invalidRequest,
                "A journal wait is for a count of 1 or more, for 0 to \(Int(Self.maximumWait)) seconds.")
        }
        try filter.validate()
        _ = await wait(for: count, matching: filter, timeout: .milliseconds(Int(timeout * 1000)))
        // Judged on the entries answered, not on how the wait ended: one may come between the
        // timeout and this read, and "unsatisfied" next to enough entries would be a lie.
        let entries = entries(filter)
        return JournalWaitResult(satisfied: entries.count >= count, count: entries.count, entries: entries)
    }
}
