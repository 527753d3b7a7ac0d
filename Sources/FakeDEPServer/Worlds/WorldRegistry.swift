import DEPWire
public import Foundation
import Synchronization

/// Every world one `fakedep` serves: the default one (the `--db` store, where everything lives
/// unless a test asks for more) and those made through `/_fakedep/worlds`, each a whole fake
/// Apple of its own. Clients reach theirs by their credentials alone: consumer keys and session
/// tokens are random, so each belongs to exactly one world.
public final class WorldRegistry: Sendable {
    /// The id of the world the plain paths and `--db` serve.
    public static let defaultID = "default"

    /// One world and how it was made.
    struct Entry: Sendable {
        var summary: WorldSummary
        var world: World
        /// Outlives resets: a test reads what led up to one. `nil` when the server keeps no journal.
        var journal: Journal?
        /// The snapshot a world made from one resets to.
        var origin: SnapshotOrigin? = nil
        /// The scenario a world made from one resets to.
        var scenario: Scenario? = nil
    }

    private let entries: Mutex<[String: Entry]>
    private let settings: World.Settings
    /// Where worlds made at run time keep their stores; `nil` keeps them in memory.
    private let directory: URL?
    private let makeClock: @Sendable () -> any TimeSource
    /// How many entries each world's journal keeps; 0 keeps no journal at all.
    private let journalSize: Int

    /// A registry whose default world is `defaultWorld` (seeded as `defaultSeed` on reset); new
    /// worlds get `settings`, a base clock from `makeClock` (over which each moves its own
    /// business time), and a store in `directory` or in memory. Each world's journal keeps
    /// `journalSize` entries; with 0 no request is journaled.
    public init(
        defaultWorld: World, defaultSeed: WorldSeed = .mock, settings: World.Settings = World.Settings(),
        directory: URL? = nil, journalSize: Int = 10_000,
        makeClock: @escaping @Sendable () -> any TimeSource = { SystemTimeSource() }
    ) {
        let summary = WorldSummary(
            id: Self.defaultID, name: "default", seed: defaultSeed, created: defaultWorld.clock.now)
        entries = Mutex([
            Self.defaultID: Entry(summary: summary, world: defaultWorld, journal: Self.journal(of: journalSize))
        ])
        self.journalSize = journalSize
        self.settings = settings
        self.directory = directory
        self.makeClock = makeClock
    }

    /// The default world.
    public var defaultWorld: World { entries.withLock { $0[Self.defaultID]!.world } }

    /// The world `id`, or `404 NOT_FOUND`.
    public func world(_ id: String) throws -> World {
        guard let world = entries.withLock({ $0[id]?.world }) else { throw Self.unknown(id) }
        return world
    }

    /// The journal of world `id`; `404 NOT_FOUND` for an unknown world, `409 JOURNAL_OFF` when
    /// the server keeps no journal (an empty list would tell a test that nothing happened).
    public func journal(_ id: String) throws -> Journal {
        guard let journal = try entry(id).1 else {
            throw PortalError(
                .journalOff,
                """
                This fakedep keeps no request journal: it was started with --journal-size 0 \
                (or FAKEDEP_JOURNAL_SIZE=0). Start it with a size of at least 1 to journal requests.
                """)
        }
        return journal
    }

    /// World `id` and its journal, if the server keeps one; `404 NOT_FOUND` for an unknown world.
    func entry(_ id: String) throws -> (World, Journal?) {
        guard let entry = entries.withLock({ $0[id] }) else { throw Self.unknown(id) }
        return (entry.world, entry.journal)
    }

    /// What world `id` is, or `404 NOT_FOUND`.
    public func summary(_ id: String) throws -> WorldSummary {
        guard let summary = entries.withLock({ $0[id]?.summary }) else { throw Self.unknown(id) }
        return summary
    }

    /// Every world, oldest first (the default one first of all).
    public func list() -> [WorldSummary] {
        entries.withLock { $0.values.map(\.summary) }.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// Makes a world, seeded as asked, and returns what it is.
    public func create(name: String?, seed: WorldSeed) async throws -> WorldSummary {
        let id = Self.makeID()
        if let name { try World.requirePrintable(name, "A world's name") }
        let world = try await makeWorld(id: id, seed: seed)
        let created = Date(timeIntervalSince1970: world.clock.now.timeIntervalSince1970.rounded(.down))
        let summary = WorldSummary(id: id, name: name ?? id, seed: seed, created: created)
        try await world.keep(summary)
        entries.withLock { $0[id] = Entry(summary: summary, world: world, journal: Self.journal(of: journalSize)) }
        return summary
    }

    /// Makes a world from the snapshot in `upload`, named `name` or as the snapshot says, and
    /// returns what it is. With `tokens` `.keep`, a snapshot holding a token that is live in
    /// another world is refused (`409 CONFLICT`): a credential belongs to one world.
    func create(name: String?, snapshot upload: UploadFile, tokens: WorldSnapshot.Tokens) async throws
        -> WorldSummary
    {
        if let name { try World.requirePrintable(name, "A world's name") }
        let id = Self.makeID()
        if let directory { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        let path = storePath(id)
        do {
            let (world, header) = try await World.load(
                snapshot: upload.url, databasePath: path ?? ":memory:", clock: makeClock(), settings: settings,
                tokens: tokens)
            if tokens == .keep {
                try await refuseLiveTokens(of: world)
                try await refuseLiveAPIAccounts(of: world)
            }
            let worldName = name ?? header.name.map(\.escapingControlCharacters) ?? id
            let created = Date(timeIntervalSince1970: world.clock.base.now.timeIntervalSince1970.rounded(.down))
            let summary = WorldSummary(id: id, name: worldName, seed: .snapshot, created: created)
            // The origin first: a world whose summary is kept is whole, and resets to its snapshot.
            let origin = try await SnapshotOrigin.keep(
                upload, of: world, named: worldName, tokens: tokens, at: originPath(id))
            try await world.keep(summary)
            entries.withLock {
                $0[id] = Entry(summary: summary, world: world, journal: Self.journal(of: journalSize), origin: origin)
            }
            return summary
        } catch {
            if let path { Self.removeStore(at: path) }
            if let origin = originPath(id) { try? FileManager.default.removeItem(at: origin) }
            throw error
        }
    }

    /// Refuses a world loaded from a snapshot whose tokens another world holds.
    private func refuseLiveTokens(of world: World) async throws {
        for consumerKey in try await world.consumerKeys() {
            for entry in entries.withLock({ Array($0.values) }) {
                guard let server = try await entry.world.serverName(forConsumerKey: consumerKey) else { continue }
                throw PortalError(
                    .conflict,
                    "The snapshot holds the token of server \"\(server.escapingControlCharacters)\", which is live in world "
                        + "\(entry.summary.id): a token belongs to one world. Delete that world first, or load the "
                        + "snapshot with tokens=drop and download new tokens from the new world's portal.")
            }
        }
    }

    /// Refuses a world loaded from a snapshot whose API accounts another world holds.
    private func refuseLiveAPIAccounts(of world: World) async throws {
        for clientID in try await world.apiClientIDs() {
            for entry in entries.withLock({ Array($0.values) })
            where try await entry.world.apiAccount(clientID: clientID) != nil {
                throw PortalError(
                    .conflict,
                    "The snapshot holds the API account \(clientID), which is live in world \(entry.summary.id): a "
                        + "client id belongs to one world. Delete that world first, or load the snapshot with "
                        + "tokens=drop and create new API accounts in the new world's portal.")
            }
        }
    }

    /// Makes a world set up as `scenario` says, and returns what it is.
    public func create(name: String?, scenario: Scenario) async throws -> WorldSummary {
        if let name { try World.requirePrintable(name, "A world's name") }
        let id = Self.makeID()
        if let directory { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        let path = storePath(id)
        do {
            let world = try await World(databasePath: path ?? ":memory:", clock: makeClock(), settings: settings)
            try await world.plant(scenario)
            let created = Date(timeIntervalSince1970: world.clock.base.now.timeIntervalSince1970.rounded(.down))
            let summary = WorldSummary(id: id, name: name ?? id, seed: .scenario, created: created)
            try await world.keep(summary, scenario: scenario)
            entries.withLock {
                $0[id] = Entry(
                    summary: summary, world: world, journal: Self.journal(of: journalSize), scenario: scenario)
            }
            return summary
        } catch {
            if let path { Self.removeStore(at: path) }
            throw error
        }
    }

    /// Sets the default world up as `scenario` says (it must be empty), and resets it to that.
    public func plantDefault(_ scenario: Scenario) async throws {
        let world = defaultWorld
        guard try await !world.hasOrganisation() else {
            throw PortalError(
                .invalidRequest,
                "A scenario is set up in an empty world; the default world's store has an organisation.")
        }
        try await world.plant(scenario)
        entries.withLock { table in
            table[Self.defaultID]?.scenario = scenario
            table[Self.defaultID]?.summary.seed = .scenario
        }
    }

    /// Drops world `id` and its store. The default world stays: reset it instead.
    public func delete(_ id: String) throws {
        guard id != Self.defaultID else {
            throw PortalError(.invalidRequest, "The default world cannot be deleted; reset it instead.")
        }
        guard entries.withLock({ $0.removeValue(forKey: id) }) != nil else { throw Self.unknown(id) }
        if let path = storePath(id) { Self.removeStore(at: path) }
        if let path = originPath(id) { try? FileManager.default.removeItem(at: path) }
    }

    /// Writes world `id`'s snapshot to `file` (`WorldSnapshot`).
    func writeSnapshot(of id: String, to file: FileHandle) async throws {
        guard let entry = entries.withLock({ $0[id] }) else { throw Self.unknown(id) }
        try await entry.world.writeSnapshot(named: entry.summary.name, to: file)
    }

    /// Empties world `id` back to its first seed (or the snapshot it was made from), keeping its
    /// id and name.
    public func reset(_ id: String) async throws -> WorldSummary {
        guard let entry = entries.withLock({ $0[id] }) else { throw Self.unknown(id) }
        let world =
            if let origin = entry.origin {
                try await entry.world.reload(from: origin.url)
            } else if let scenario = entry.scenario {
                try await entry.world.reset(to: scenario)
            } else {
                try await entry.world.reset(to: entry.summary.seed)
            }
        if id != Self.defaultID { try await world.keep(entry.summary) }
        return entries.withLock { table in
            table[id]?.world = world
            return table[id]?.summary ?? entry.summary
        }
    }

    /// The world that issued the token with `consumerKey`, and its journal, if any; else the
    /// world whose portal revoked it, which refuses it saying so.
    func entry(forConsumerKey consumerKey: String) async throws -> (World, Journal?)? {
        let all = entries.withLock { Array($0.values) }
        for entry in all where try await entry.world.hasServer(consumerKey: consumerKey) {
            return (entry.world, entry.journal)
        }
        for entry in all where try await entry.world.revokedToken(consumerKey: consumerKey) != nil {
            return (entry.world, entry.journal)
        }
        return nil
    }

    /// The world that has an API account with `clientID` (revoked or not, so it can say so), and
    /// its journal, if any. Client ids are random uuids, so at most one world has it.
    func entry(forClientID clientID: String) async throws -> (World, Journal?)? {
        for entry in entries.withLock({ Array($0.values) })
        where try await entry.world.apiAccount(clientID: clientID) != nil {
            return (entry.world, entry.journal)
        }
        return nil
    }

    /// The world that holds the device activity `id`, and its journal, if any.
    func entry(forActivity id: String) async throws -> (World, Journal?)? {
        for entry in entries.withLock({ Array($0.values) }) where try await entry.world.hasActivity(id) {
            return (entry.world, entry.journal)
        }
        return nil
    }

    /// The world that issued access token `token` (live or recently expired), and its journal.
    func entry(forAccessToken token: String) -> (World, Journal?)? {
        entries.withLock { table in
            table.values.first { $0.world.issued(accessToken: token) }.map { ($0.world, $0.journal) }
        }
    }

    /// The world that holds the live session `token`, and its journal, if any.
    func entry(forSession token: String) -> (World, Journal?)? {
        entries.withLock { table in table.values.first { $0.world.hasSession(token) }.map { ($0.world, $0.journal) } }
    }

    /// Opens every world kept in the directory by an earlier run, under its id, name and seed.
    /// Returns how many.
    public func reopenKeptWorlds() async throws -> Int {
        guard let directory else { return 0 }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var count = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".sqlite")
        {
            let path = directory.appendingPathComponent(file).path
            let id = String(file.dropLast(".sqlite".count))
            guard let (world, summary) = try await reopenKeptWorld(at: path) else {
                // `create` keeps the summary last: a store of a world's id without one is a world
                // whose making was cut short (the process killed), never answered to anyone, so
                // it goes. Any other file is not ours to remove.
                if Self.isWorldID(id) {
                    Self.removeStore(at: path)
                    if let origin = originPath(id) { try? FileManager.default.removeItem(at: origin) }
                }
                continue
            }
            let origin = originPath(summary.id).flatMap { path in
                FileManager.default.fileExists(atPath: path.path) ? SnapshotOrigin(url: path) : nil
            }
            let scenario = summary.seed == .scenario ? try await world.keptScenario() : nil
            entries.withLock {
                $0[summary.id] = Entry(
                    summary: summary, world: world, journal: Self.journal(of: journalSize), origin: origin,
                    scenario: scenario)
            }
            count += 1
        }
        return count
    }

    /// The world kept at `path` and what it is; `nil` when its making never finished. The world
    /// is closed before the caller removes its files.
    private func reopenKeptWorld(at path: String) async throws -> (World, WorldSummary)? {
        let world = try await World(databasePath: path, clock: makeClock(), settings: settings)
        guard let summary = try await world.keptSummary() else { return nil }
        return (world, summary)
    }

    private func makeWorld(id: String, seed: WorldSeed) async throws -> World {
        if let directory { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        let world = try await World(databasePath: storePath(id) ?? ":memory:", clock: makeClock(), settings: settings)
        try await world.plant(seed)
        return world
    }

    private func storePath(_ id: String) -> String? {
        guard id != Self.defaultID else { return nil }
        return directory?.appendingPathComponent("\(id).sqlite").path
    }

    /// Where a kept world made from a snapshot keeps that snapshot; `nil` for worlds in memory.
    private func originPath(_ id: String) -> URL? {
        guard id != Self.defaultID else { return nil }
        return directory?.appendingPathComponent("\(id).\(WorldSnapshot.fileExtension)")
    }

    private static func removeStore(at path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// A new world's journal of `size` entries; none for 0.
    private static func journal(of size: Int) -> Journal? {
        size > 0 ? Journal(capacity: size) : nil
    }

    private static func unknown(_ id: String) -> PortalError {
        PortalError(
            .notFound, "No world has the id \"\(id.escapingControlCharacters)\"; list them with `fakedep world list`.")
    }

    /// A short random id: `w` and 12 hex digits.
    private static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "w" + String(generator.next() & 0xFFFF_FFFF_FFFF, radix: 16).leftPadded(to: 12)
    }

    /// Whether `text` has the form `makeID` gives.
    private static func isWorldID(_ text: String) -> Bool {
        text.count == 13 && text.first == "w" && text.dropFirst().allSatisfy(\.isHexDigit)
    }
}

/// A world as the control API lists it.
public struct WorldSummary: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var seed: WorldSeed
    public var created: Date
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
