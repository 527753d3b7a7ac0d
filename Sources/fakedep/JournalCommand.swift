import ArgumentParser
import DEPWire
import FakeDEPServer
import Foundation

/// `fakedep journal`: a world's requests, one line each, as they come with `--follow`.
struct JournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Print a world's request journal, one line an entry; --follow prints new ones as they come.")
    @Option(help: "The fakedep server to talk to.") var url = "http://127.0.0.1:8080"
    @Option(help: "The world (default: the default world).") var world = "default"
    @Option(help: "Only this operation (session, fetch_devices, sync_devices, portal_assign…).") var operation: String?
    @Option(help: "Only this status (404) or class (4xx).") var status: String?
    @Option(help: "Only requests of this MDM server.") var server: String?
    @Option(help: "At most the last N entries.") var limit: Int?
    @Flag(help: "Keep printing new entries until interrupted.") var follow = false
    @Flag(help: "Print each entry as JSON.") var json = false
    @Option(help: "The server's admin token, if it has one (default: FAKEDEP_ADMIN_TOKEN).") var adminToken: String?
    @Option(help: "A PEM file of certificate authorities to trust for an https:// server; else $FAKEDEP_CA_FILE.")
    var caFile: String?

    func run() async throws {
        let client = PortalClient(
            baseURL: url, adminToken: PortalClient.adminToken(adminToken), caFile: PortalClient.trusted(caFile))
        let base = "/_fakedep/worlds/\(PortalClient.escape(world))/journal"
        var query = filters
        if let limit { query.append("limit=\(limit)") }
        let (data, _) = try await client.send("GET", base + "?" + query.joined(separator: "&"))
        var last = try print(DEPJSON.decode(JournalListing.self, from: data).entries)
        while follow {
            var wait: [String: Any] = ["count": 1, "timeout_seconds": 30, "after": last]
            for (key, value) in [("operation", operation), ("status", status), ("server", server)] {
                if let value { wait[key] = value }
            }
            let body = try JSONSerialization.data(withJSONObject: wait)
            let (answer, _) = try await client.send("POST", base + "/wait", body: body)
            last = try print(DEPJSON.decode(JournalListing.self, from: answer).entries, after: last)
        }
    }

    private var filters: [String] {
        [("operation", operation), ("status", status), ("server", server)].compactMap { name, value in
            value.map { "\(name)=\(PortalClient.escape($0))" }
        }
    }

    /// Prints the entries after sequence number `after`; returns the last sequence number seen.
    private func print(_ entries: [JournalEntry], after: Int = 0) throws -> Int {
        var last = after
        for entry in entries where entry.seq > after {
            Swift.print(json ? try DEPJSON.encodeString(entry) : Self.line(entry))
            last = entry.seq
        }
        // `--follow` into a pipe: each entry as it comes, not when a buffer fills.
        fflush(nil)
        return last
    }

    /// `seq time status method path operation [server] duration [fault=…] [— why]`, control
    /// characters escaped.
    static func line(_ entry: JournalEntry) -> String {
        var parts = [
            String(entry.seq), DEPDate.format(entry.time), String(entry.status), entry.method, entry.path,
            entry.operation,
        ]
        if let server = entry.server { parts.append("server=\(server)") }
        parts.append(String(format: "%.1fms", entry.durationMs))
        if let fault = entry.fault { parts.append("fault=\(fault)") }
        var line = parts.joined(separator: " ")
        if let why = entry.why { line += " — " + why }
        return line.escapingControlCharacters
    }
}

/// `GET …/journal` and `POST …/journal/wait` answers, as far as the command needs them.
private struct JournalListing: Decodable {
    var entries: [JournalEntry]
}
