import Foundation
import Synchronization

/// The open `X-ADM-Auth-Session` sessions, each bound to one MDM server and ended after an idle
/// time (dep-api §2.3, §2.4). Sessions live in memory: a restart ends them, as a client must
/// expect, and it re-authenticates on the 401.
final class SessionTable: Sendable {
    private struct Session {
        var server: Int64
        /// Kept for the journal, which names each request's server without a store read (a
        /// server's name never changes).
        var serverName: String
        var lastUsed: Date
    }

    private let sessions = Mutex<[String: Session]>([:])
    let idleLifetime: TimeInterval

    init(idleLifetime: TimeInterval) { self.idleLifetime = idleLifetime }

    /// Opens a session for `server`, named `name`, and returns its token.
    func open(server: Int64, named name: String, at now: Date) -> String {
        let token = Self.makeToken(at: now)
        sessions.withLock { table in
            table = table.filter { now.timeIntervalSince($0.value.lastUsed) < idleLifetime }
            table[token] = Session(server: server, serverName: name, lastUsed: now)
        }
        return token
    }

    /// What a session token is now.
    enum Lookup {
        /// Live, for this server (its idle time now starts again).
        case open(server: Int64)
        /// It was idle this many seconds, too long; it is gone now.
        case expired(idle: TimeInterval)
        case unknown
    }

    /// Looks a token up, refreshing a live session's idle time and ending an expired one.
    func lookUp(_ token: String, at now: Date) -> Lookup {
        sessions.withLock { table in
            guard let session = table[token] else { return .unknown }
            let idle = now.timeIntervalSince(session.lastUsed)
            guard idle < idleLifetime else {
                table[token] = nil
                return .expired(idle: idle)
            }
            table[token]?.lastUsed = now
            return .open(server: session.server)
        }
    }

    /// Whether `token` is a live session, without refreshing its idle time.
    func isOpen(_ token: String, at now: Date) -> Bool {
        serverIfOpen(token, at: now) != nil
    }

    /// The server of live session `token`, without refreshing its idle time.
    func serverIfOpen(_ token: String, at now: Date) -> Int64? {
        live(token, at: now)?.server
    }

    /// The name of the server of live session `token`, without refreshing its idle time.
    func serverNameIfOpen(_ token: String, at now: Date) -> String? {
        live(token, at: now)?.serverName
    }

    private func live(_ token: String, at now: Date) -> Session? {
        sessions.withLock { table in
            table[token].flatMap { now.timeIntervalSince($0.lastUsed) < idleLifetime ? $0 : nil }
        }
    }

    /// Replaces live session `token` with a new one for the same server, as Apple rotates a
    /// session in an `X-ADM-Auth-Session` response header; the old token ends. `nil` when
    /// `token` is not live.
    func rotate(_ token: String, at now: Date) -> String? {
        let fresh = Self.makeToken(at: now)
        return sessions.withLock { table in
            guard let session = table.removeValue(forKey: token) else { return nil }
            table[fresh] = Session(server: session.server, serverName: session.serverName, lastUsed: now)
            return fresh
        }
    }

    /// Ends every session (the world was reset).
    func closeAll() {
        sessions.withLock { $0 = [:] }
    }

    /// Ends every session of `server` (its token was replaced or it was deleted).
    func close(server: Int64) {
        sessions.withLock { table in table = table.filter { $0.value.server != server } }
    }

    /// A token in the shape Apple's have: epoch milliseconds, then upper-case hex runs joined by `O`
    /// (dep-api §2.2).
    static func makeToken(at now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        let runs = [20, 40, 40].map { count in
            (0..<count).map { _ in String(generator.next() % 16, radix: 16, uppercase: true) }.joined()
        }
        return "\(Int64(now.timeIntervalSince1970 * 1000))O1O" + runs.joined(separator: "O")
    }
}

/// Nonces seen per consumer key within the timestamp window, so a replayed `/session` request
/// is refused (dep-api §2.5).
final class NonceCache: Sendable {
    private let seen = Mutex<[String: Date]>([:])
    /// How far a request's timestamp may be from now, either way.
    let window: TimeInterval

    init(window: TimeInterval) { self.window = window }

    /// Records `nonce` for `consumerKey`; `false` if it was already used within the window.
    func use(_ nonce: String, consumerKey: String, at now: Date) -> Bool {
        seen.withLock { table in
            if table.count > 10_000 { table = table.filter { now.timeIntervalSince($0.value) < 2 * window } }
            let key = consumerKey + "\u{0}" + nonce
            if let previous = table[key], now.timeIntervalSince(previous) < 2 * window { return false }
            table[key] = now
            return true
        }
    }
}
