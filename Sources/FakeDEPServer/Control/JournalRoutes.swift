import DEPWire
import Foundation
import Hummingbird

/// A world's request journal under `/_fakedep/worlds/{id}/journal`: read with filters, count,
/// wait for entries (long-poll), clear.
struct JournalRoutes {
    let worlds: WorldRegistry

    func add(to control: RouterGroup<FakeDEPContext>) {
        control.get("worlds/:world/journal") { request, context in
            let journal = try worlds.journal(try context.parameters.require("world"))
            let query = request.uri.queryParameters
            let limit = try Self.number(query.get("limit"), name: "limit")
            return try PortalRoutes.json(
                JournalPage(entries: journal.entries(try Self.filter(query), limit: limit), counters: journal.counters))
        }
        control.get("worlds/:world/journal/count") { request, context in
            let journal = try worlds.journal(try context.parameters.require("world"))
            return try PortalRoutes.json(["count": journal.count(try Self.filter(request.uri.queryParameters))])
        }
        control.post("worlds/:world/journal/wait") { request, context in
            let journal = try worlds.journal(try context.parameters.require("world"))
            let body = try await PortalRoutes.body(JournalWait.self, of: request, emptyIsObject: true)
            return try PortalRoutes.json(
                try await journal.awaitEntries(
                    count: body.count ?? 1, matching: try body.filter(), timeout: body.timeoutSeconds ?? 30))
        }
        control.delete("worlds/:world/journal") { _, context in
            try worlds.journal(try context.parameters.require("world")).clear()
            return Response(status: .noContent)
        }
    }

    /// The filter of a query: `operation`, `status` (`404` or `4xx`), `server`, `after` (a
    /// sequence number) and `since` (RFC 3339).
    static func filter(_ query: Parameters) throws -> JournalFilter {
        let filter = JournalFilter(
            operation: query.get("operation"), status: query.get("status"), server: query.get("server"),
            afterSeq: try number(query.get("after"), name: "after"), since: try date(query.get("since")))
        try filter.validate()
        return filter
    }

    static func number(_ text: String?, name: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw PortalError(.invalidRequest, "\(name) is a whole number.")
        }
        return value
    }

    static func date(_ text: String?) throws -> Date? {
        guard let text else { return nil }
        guard let date = DEPDate.parse(text) else {
            throw PortalError(.invalidRequest, "since is an RFC 3339 time such as 2026-12-04T10:00:00Z.")
        }
        return date
    }
}

/// `GET …/journal`: the entries, oldest first, and the counters per operation.
struct JournalPage: Codable {
    var entries: [JournalEntry]
    var counters: [String: Int]
}

/// `POST …/journal/wait`: how many matching entries to wait for, how long, and the filter.
struct JournalWait: Decodable {
    var count: Int?
    var timeoutSeconds: Double?
    var operation: String?
    var status: String?
    var server: String?
    var after: Int?
    var since: String?

    enum CodingKeys: String, CodingKey {
        case count, timeoutSeconds = "timeout_seconds", operation, status, server, after, since
    }

    func filter() throws -> JournalFilter {
        JournalFilter(
            operation: operation, status: status, server: server, afterSeq: after, since: try JournalRoutes.date(since))
    }
}
