import DEPWire
import Foundation
import GRDB

/// A world saved as one file: its state (every row of every table, and its clock), not the
/// requests that led there, so a test suite can build a world once and start tests from it.
///
/// The file is newline-delimited JSON, to read and diff: a header line, then for each table a
/// line naming its columns followed by one JSON array per row, and an end line with the number
/// of rows. A file without its end line was cut short. Text is a JSON string, an integer a
/// number, a blob `{"base64": …}`.
enum WorldSnapshot {
    static let format = "fakedep-world-snapshot"
    /// The version this fakedep writes and reads: raised whenever the tables change.
    static let version = 2
    static let mediaType = "application/x-ndjson"
    static let fileExtension = "fakedep-snapshot"

    /// The tables, parents before children: a load inserts in this order with foreign keys on.
    /// `sqlite_sequence` keeps the next server id, which is never reused.
    static let tables = [
        "organisation", "orders", "servers", "devices", "profiles", "events", "activities", "audit_events",
        "api_accounts", "settings",
        "sqlite_sequence",
    ]

    /// Settings that belong to the running world, not its state: the clock (the header carries
    /// its time) and the registry's summary (a loaded world has its own id).
    static let ownSettings: Set<String> = ["clock", "world"]

    /// Whether a `Content-Type` names the snapshot's media type (parameters aside).
    static func isMediaType(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        return contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == mediaType
    }

    /// Whether `bytes` start with a snapshot's header line (whatever its version), as opposed to
    /// another JSON body.
    static func startsWithHeader(_ bytes: some Collection<UInt8>) -> Bool {
        let firstLine = bytes.prefix { $0 != 0x0A }
        return (try? DEPJSON.decode(FormatProbe.self, from: Data(firstLine)))?.format != nil
    }

    /// What the first line of any version of the format has.
    struct FormatProbe: Decodable {
        var format: String?
        var version: Int?
    }

    /// The first line.
    struct Header: Codable {
        var format: String
        var version: Int
        /// The name of the world it was taken from.
        var name: String?
        /// Real time when it was taken.
        var taken: Date?
        var clock: Clock?
        /// The fakedep version that wrote it, for the reader of a refusal.
        var fakedep: String?
    }

    /// The world's business time when it was taken: a loaded world goes on from there.
    struct Clock: Codable {
        /// Unix seconds, fraction included.
        var now: Double
        var frozen: Bool
    }

    /// The line before a table's rows.
    struct Table: Codable {
        var table: String
        var columns: [String]
    }

    /// The last line.
    struct End: Codable {
        struct Counts: Codable { var rows: Int }
        var end: Counts
    }

    /// What the new world does with the server tokens in a snapshot it is loaded from.
    enum Tokens: String, Sendable {
        /// They stay valid: the MDM that held them goes on using them.
        case keep
        /// The servers hold none and the API accounts are gone (a client id is a credential too):
        /// new ones come from the new world's portal. For loading one snapshot into several
        /// worlds of one fakedep, where a credential may live in one only.
        case drop
    }
}

extension World {
    /// Writes the world's state, as `WorldSnapshot` describes, to `file`, from one consistent read.
    func writeSnapshot(named name: String, to file: FileHandle) async throws {
        try await store.read { [clock] db in
            let reading = clock.reading
            let header = WorldSnapshot.Header(
                format: WorldSnapshot.format, version: WorldSnapshot.version, name: name, taken: clock.base.now,
                clock: WorldSnapshot.Clock(now: reading.now.timeIntervalSince1970, frozen: reading.frozen),
                fakedep: FakeDEPVersion.current)
            var output = SnapshotOutput(file: file)
            try output.line(header)
            var rows = 0
            for table in WorldSnapshot.tables {
                let order = table == "settings" ? " ORDER BY key" : table == "sqlite_sequence" ? " ORDER BY name" : ""
                let statement = try db.makeStatement(sql: "SELECT * FROM \(table)\(order)")
                try output.line(WorldSnapshot.Table(table: table, columns: statement.columnNames))
                let cursor = try Row.fetchCursor(statement)
                while let row = try cursor.next() {
                    if table == "settings", let key = row["key"] as String?, WorldSnapshot.ownSettings.contains(key) {
                        continue
                    }
                    try output.row(row.databaseValues)
                    rows += 1
                }
            }
            try output.line(WorldSnapshot.End(end: .init(rows: rows)))
            try output.flush()
        }
    }
}

/// The snapshot's lines, buffered into its file.
private struct SnapshotOutput {
    let file: FileHandle
    var buffer: [UInt8] = []

    mutating func line(_ value: some Encodable) throws {
        buffer.append(contentsOf: try DEPJSON.encodeBytes(value))
        try endLine()
    }

    mutating func row(_ values: some Sequence<DatabaseValue>) throws {
        buffer.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            switch value.storage {
            case .null: buffer.append(contentsOf: "null".utf8)
            case .int64(let integer): buffer.append(contentsOf: String(integer).utf8)
            case .double(let number):
                guard number.isFinite else { throw PortalError(.invalidRequest, "A stored number is not finite.") }
                buffer.append(contentsOf: "\(number)".utf8)
            case .string(let text): DEPJSON.appendString(text, to: &buffer)
            case .blob(let bytes):
                buffer.append(contentsOf: #"{"base64":""#.utf8)
                buffer.append(contentsOf: bytes.base64EncodedString().utf8)
                buffer.append(contentsOf: #""}"#.utf8)
            }
        }
        buffer.append(UInt8(ascii: "]"))
        try endLine()
    }

    mutating func flush() throws {
        try file.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func endLine() throws {
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 64 << 10 { try flush() }
    }
}
