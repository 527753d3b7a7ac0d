public import Foundation

/// Which entries a journal query wants: every field optional, combined with AND.
public struct JournalFilter: Sendable, Hashable {
    public var operation: String?
    /// An exact status, or a class such as `4xx`.
    public var status: String?
    public var server: String?
    /// Entries with a larger sequence number only.
    public var afterSeq: Int?
    /// Entries that arrived at or after this time (machine clock).
    public var since: Date?

    public init(
        operation: String? = nil, status: String? = nil, server: String? = nil, afterSeq: Int? = nil, since: Date? = nil
    ) {
        self.operation = operation
        self.status = status
        self.server = server
        self.afterSeq = afterSeq
        self.since = since
    }

    /// Refuses a filter that would match nothing by mistake: a status that is neither a code such
    /// as `404` nor a class such as `4xx`.
    public func validate() throws {
        if let status, status.wholeMatch(of: /[1-5]([0-9]{2}|xx)/) == nil {
            throw PortalError(.invalidRequest, "status is a code such as 404, or a class such as 4xx.")
        }
    }

    /// Whether `entry` is wanted.
    func matches(_ entry: JournalEntry) -> Bool {
        if let operation, entry.operation != operation { return false }
        if let server, entry.server != server { return false }
        if let afterSeq, entry.seq <= afterSeq { return false }
        if let since, entry.time < since { return false }
        if let status {
            let code = String(entry.status)
            if status.count == 3, status.hasSuffix("xx") {
                if code.first != status.first { return false }
            } else if code != status {
                return false
            }
        }
        return true
    }
}
