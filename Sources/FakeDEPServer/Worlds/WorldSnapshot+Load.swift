import DEPWire
import Foundation
import GRDB

extension WorldSnapshot {
    /// Loads the snapshot at `url` into the empty tables of `db`, in the caller's transaction, and
    /// answers its header. Everything is checked as it is read (the format and its version, each
    /// table and its columns, each row, the end line), so a refused snapshot throws before the
    /// transaction commits and leaves nothing behind. Business time goes on from the snapshot's,
    /// against the base clock reading `base`.
    static func load(from url: URL, into db: Database, base: Date, tokens: Tokens) throws -> Header {
        var lines = try FileLines(url: url, maximumLength: 16 << 20)
        guard let first = try lines.next() else { throw invalid("The snapshot is empty.") }
        let header = try readHeader(first)
        var table: LoadingTable?
        var lastTableIndex = -1
        var rows = 0
        while let line = try lines.next() {
            let refuse = { (problem: String) in
                invalid("Line \(lines.number) of the snapshot \(problem)\(lines.endsUnterminated ? cutShort : "")")
            }
            switch line.first(where: { !Self.isSpace($0) }) {
            case UInt8(ascii: "["):
                guard let current = table else { throw refuse("is a row before any table's line.") }
                guard let values = try? DEPJSON.decode([SnapshotValue].self, from: Data(line)) else {
                    throw refuse("is not a row: a JSON array of values (null, numbers, strings, {\"base64\": …}).")
                }
                guard values.count == current.columnCount else {
                    throw refuse(
                        "has \(values.count) values; table \(current.name) has \(current.columnCount) columns.")
                }
                if current.name == "settings", case .string(let key) = values[current.keyIndex ?? 0],
                    ownSettings.contains(key)
                {
                    continue
                }
                do {
                    try current.insert.execute(arguments: StatementArguments(values.map(\.databaseValue)))
                } catch let error as DatabaseError {
                    throw refuse("does not fit table \(current.name): \(error.message ?? "\(error)").")
                }
                rows += 1
            case UInt8(ascii: "{"):
                if let start = try? DEPJSON.decode(Table.self, from: Data(line)) {
                    guard let index = tables.firstIndex(of: start.table) else {
                        throw refuse("names table \"\(start.table.escapingControlCharacters)\", which a world has not.")
                    }
                    guard index > lastTableIndex else {
                        throw refuse("names table \(start.table) out of order: tables come in the order \(tables).")
                    }
                    lastTableIndex = index
                    table = try LoadingTable(start, db, refuse: refuse)
                } else if let end = try? DEPJSON.decode(End.self, from: Data(line)) {
                    guard end.end.rows == rows else {
                        throw refuse("says the snapshot has \(end.end.rows) rows; it has \(rows).")
                    }
                    while let rest = try lines.next() {
                        guard rest.allSatisfy(Self.isSpace) else {
                            throw invalid("Line \(lines.number) follows the end line.")
                        }
                    }
                    try finish(header, tokens: tokens, base: base, db)
                    return header
                } else {
                    throw refuse("is neither a table's line ({\"table\", \"columns\"}) nor the end line ({\"end\"}).")
                }
            case nil: continue
            default: throw refuse("is not JSON.")
            }
        }
        throw invalid("The snapshot ends after line \(lines.number), without its end line:\(cutShort)")
    }

    /// The world's clock and tokens, once every row is in.
    private static func finish(_ header: Header, tokens: Tokens, base: Date, _ db: Database) throws {
        var clock = ClockState()
        if let snapshotClock = header.clock {
            let now = Date(timeIntervalSince1970: snapshotClock.now)
            if snapshotClock.frozen { clock.frozenAt = now } else { clock.offset = now.timeIntervalSince(base) }
        }
        try StoredClock(clock).save(db)
        if tokens == .drop {
            try db.execute(
                sql: """
                    UPDATE servers SET consumer_key = NULL, consumer_secret = NULL, access_token = NULL,
                    access_secret = NULL, token_issued = NULL, token_expiry = NULL
                    """)
            try db.execute(sql: "DELETE FROM api_accounts")
        }
    }

    private static func readHeader(_ line: [UInt8]) throws -> Header {
        guard let probe = try? DEPJSON.decode(FormatProbe.self, from: Data(line)), probe.format == format else {
            throw invalid("This is not a fakedep world snapshot: its first line is not {\"format\": \"\(format)\", …}.")
        }
        guard probe.version == version else {
            let theirs = probe.version.map { "version \($0)" } ?? "no version"
            throw invalid(
                "The snapshot is of format \(theirs); this fakedep (\(FakeDEPVersion.current)) reads version "
                    + "\(version). Take it again with this fakedep's `fakedep world snapshot`.")
        }
        do {
            return try DEPJSON.decode(Header.self, from: Data(line))
        } catch {
            throw invalid("The snapshot's first line is not a valid header: \(error)")
        }
    }

    private static let cutShort = " it was cut short."

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    static func invalid(_ message: String) -> PortalError { PortalError(.invalidSnapshot, message) }
}

/// The table whose rows are being read, and the statement that inserts them.
private struct LoadingTable {
    let name: String
    let columnCount: Int
    /// Where `key` is among the columns of `settings`.
    let keyIndex: Int?
    let insert: Statement

    init(_ start: WorldSnapshot.Table, _ db: Database, refuse: (String) -> PortalError) throws {
        let expected = try db.columns(in: start.table).map(\.name)
        guard Set(start.columns) == Set(expected), start.columns.count == expected.count else {
            throw refuse("gives table \(start.table) the columns \(start.columns); this fakedep's are \(expected).")
        }
        name = start.table
        columnCount = start.columns.count
        keyIndex = start.columns.firstIndex(of: "key")
        if name == "sqlite_sequence" {
            // Inserting servers and events with their ids already counted them; the snapshot's
            // counters, which also count deleted ones, replace those.
            try db.execute(sql: "DELETE FROM sqlite_sequence")
        }
        let columns = start.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columnCount).joined(separator: ", ")
        insert = try db.makeStatement(sql: "INSERT INTO \(name) (\(columns)) VALUES (\(placeholders))")
    }
}

/// One value of a row, as the snapshot writes it.
private enum SnapshotValue: Decodable {
    case null
    case integer(Int64)
    case real(Double)
    case string(String)
    case blob(Data)

    private struct Blob: Decodable { var base64: String }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let real = try? container.decode(Double.self) {
            self = .real(real)
        } else if let text = try? container.decode(String.self) {
            // SQLite would keep it whole, but a reader through C strings would stop at the NUL.
            guard !text.utf8.contains(0) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "text holds a NUL")
            }
            self = .string(text)
        } else {
            let blob = try container.decode(Blob.self)
            guard let bytes = Data(base64Encoded: blob.base64) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not base64")
            }
            self = .blob(bytes)
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let integer): integer.databaseValue
        case .real(let real): real.databaseValue
        case .string(let text): text.databaseValue
        case .blob(let bytes): bytes.databaseValue
        }
    }
}

/// The lines of a file, read in 64 KiB chunks, none longer than a limit.
private struct FileLines {
    private let file: FileHandle
    private let maximumLength: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// The number of the line last read, from 1.
    private(set) var number = 0
    /// Whether the line last read is the file's last and has no newline: a file cut short.
    private(set) var endsUnterminated = false

    init(url: URL, maximumLength: Int) throws {
        file = try FileHandle(forReadingFrom: url)
        self.maximumLength = maximumLength
    }

    mutating func next() throws -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                defer { start = newline + 1 }
                number += 1
                return Array(buffer[start..<newline])
            }
            if atEnd {
                guard start < buffer.count else {
                    try? file.close()
                    return nil
                }
                defer { start = buffer.count }
                number += 1
                endsUnterminated = true
                return Array(buffer[start...])
            }
            guard buffer.count - start <= maximumLength else {
                throw WorldSnapshot.invalid(
                    "Line \(number + 1) of the snapshot is longer than \(maximumLength >> 20) MiB.")
            }
            buffer.removeFirst(start)
            start = 0
            let chunk = try file.read(upToCount: 1 << 16) ?? Data()
            if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
