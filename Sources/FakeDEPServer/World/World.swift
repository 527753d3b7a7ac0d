public import DEPWire
public import Foundation
import GRDB

/// The fake Apple side's domain: the organisation, its inventory, MDM servers, profiles, the
/// per-server event log, sessions and cursors, and every rule of dep-api §9 that moves them.
///
/// HTTP handlers and CLI commands only translate to and from these methods. Each method that
/// changes state is one store transaction, so a failure changes nothing.
public struct World: Sendable {
    /// Settings of the world's behaviour, passed in by the executable.
    public struct Settings: Sendable {
        /// Idle time after which a session ends (dep-api §2.4).
        public var sessionIdleLifetime: TimeInterval = 180
        /// How far an OAuth timestamp may be from now (dep-api §2.5).
        public var timestampWindow: TimeInterval = 600
        /// Page size of fetch and sync when the request has none, and the largest allowed.
        public var defaultLimit = 100
        public var maximumLimit = 1000
        /// How strictly profiles are checked (dep-api §5.1 notes).
        public var profileStrictness: Profile.Strictness = .lenient
        /// How long an ABM API access token lasts, in world time (peers §5.2).
        public var accessTokenLifetime: TimeInterval = 3600
        /// How many access tokens one API account may mint within `accessTokenMintWindow` of
        /// world time before the token endpoint answers 429.
        public var accessTokenMintLimit = 20
        public var accessTokenMintWindow: TimeInterval = 3600
        /// Whether the token endpoint refuses a client assertion whose `jti` it accepted before.
        /// Apple asks for a unique `jti`, yet its own guide has an assertion made once and used for
        /// its whole life (up to 180 days), as nanoaxm does: so off unless a test asks.
        public var refusesReplayedAssertions = false

        public init() {}
    }

    let store: Store
    /// Where the store is (`:memory:` for none): a reset opens it afresh.
    let databasePath: String
    /// Business time (`WorldClock`); protocol time is its `base`.
    let clock: WorldClock
    let settings: Settings
    let sessions: SessionTable
    let nonces: NonceCache
    /// The ABM API's access tokens and accepted client assertions, in memory.
    let accessTokens: AccessTokenTable
    /// The world's scripted faults; a reset starts without any.
    let faults = FaultBook()
    /// The devices in Apple's cooldown after an assignment change; a reset starts without any.
    let cooldowns = DeviceCooldowns()
    /// The key that seals cursors; kept in the store so cursors survive a restart.
    let cursorKey: [UInt8]

    /// Opens the world kept at `databasePath` (`:memory:` for none), creating its tables. Its
    /// business time runs on `clock`, moved as far as the store says it was moved before.
    public init(databasePath: String, clock: any TimeSource = SystemTimeSource(), settings: Settings = Settings())
        async throws
    {
        try await self.init(
            store: try Store(path: databasePath), databasePath: databasePath, clock: clock, settings: settings)
    }

    /// The world in `store`, already open (a snapshot was loaded into it), kept at `databasePath`.
    init(store: Store, databasePath: String, clock: any TimeSource, settings: Settings) async throws {
        self.store = store
        self.databasePath = databasePath
        self.clock = WorldClock(base: clock, state: try await store.read { db in try StoredClock.load(db) })
        self.settings = settings
        sessions = SessionTable(idleLifetime: settings.sessionIdleLifetime)
        nonces = NonceCache(window: settings.timestampWindow)
        accessTokens = AccessTokenTable(
            lifetime: settings.accessTokenLifetime, mintLimit: settings.accessTokenMintLimit,
            mintWindow: settings.accessTokenMintWindow)
        cursorKey = try await store.write { db in try World.secret(named: "cursor-key", db) }
    }

    /// Business time now, in the store's whole seconds.
    var now: Int64 { clock.now.unixSeconds }

    /// A random 32-byte secret kept under `name`, made on first use.
    private static func secret(named name: String, _ db: Database) throws -> [UInt8] {
        if let hex = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [name]) {
            return Hex.bytes(hex)
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?)", arguments: [name, Hex.string(bytes)])
        return bytes
    }

    /// Whether the organisation has been set up (seeded) yet.
    public func hasOrganisation() async throws -> Bool {
        try await store.read { db in try Organisation.load(db) != nil }
    }

    /// The organisation; every world has one once seeded.
    func organisation(_ db: Database) throws -> Organisation {
        guard let organisation = try Organisation.load(db) else {
            throw PortalError(
                .notFound,
                "The organisation has not been set up: create it (`fakedep organisation create NAME`, POST "
                    + "/portal/organisation), seed devices, or start fakedep with its mock data.")
        }
        return organisation
    }
}

/// Lower-case hexadecimal text.
enum Hex {
    static func string(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func bytes(_ text: String) -> [UInt8] {
        let values = text.utf8.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        return stride(from: 0, to: values.count - 1, by: 2).map { values[$0] << 4 | values[$0 + 1] }
    }
}
