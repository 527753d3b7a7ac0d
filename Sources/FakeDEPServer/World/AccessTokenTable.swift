import DEPWire
import Foundation
import Synchronization

/// The ABM API's access tokens a world issued, the client assertions it accepted, and when each
/// client minted its tokens (peers §5.2). Kept in memory, like `SessionTable`: a restart or a
/// reset ends every token, and a client gets a new one on the 401, as Apple asks clients to.
///
/// Every time here is the world's business time: a token lasts its lifetime of world time, so a
/// test moves the clock to expire it.
final class AccessTokenTable: Sendable {
    /// What a live token grants.
    struct Grant: Sendable, Hashable {
        var clientID: String
        var service: ABMService
        var expires: Date
    }

    /// What minting a token came to.
    enum Minting {
        case issued(String)
        /// The client minted its limit within the window; the oldest of those leaves it after
        /// this many seconds.
        case tooMany(retryAfter: Int)
    }

    private struct State {
        var tokens: [String: Grant] = [:]
        /// Per client, when it minted the tokens still inside the window.
        var minted: [String: [Date]] = [:]
        /// `clientID NUL jti` of each accepted assertion, until the assertion expires.
        var assertions: [String: Date] = [:]
    }

    private let state = Mutex(State())
    /// How long a token lasts (3600 s at Apple).
    let lifetime: TimeInterval
    /// How many tokens one client may mint within `mintWindow`.
    let mintLimit: Int
    let mintWindow: TimeInterval

    init(lifetime: TimeInterval, mintLimit: Int, mintWindow: TimeInterval) {
        self.lifetime = lifetime
        self.mintLimit = mintLimit
        self.mintWindow = mintWindow
    }

    /// Mints a token for `clientID`, unless it minted `mintLimit` within the window.
    func mint(clientID: String, service: ABMService, at now: Date) -> Minting {
        state.withLock { state in
            let recent = (state.minted[clientID] ?? []).filter { now.timeIntervalSince($0) < mintWindow }
            if recent.count >= mintLimit, let oldest = recent.first {
                state.minted[clientID] = recent
                return .tooMany(retryAfter: max(1, Int((mintWindow - now.timeIntervalSince(oldest)).rounded(.up))))
            }
            state.minted[clientID] = recent + [now]
            // Expired tokens are kept a day, so a late caller hears "expired" rather than "unknown".
            state.tokens = state.tokens.filter { now.timeIntervalSince($0.value.expires) < 86_400 }
            let token = Self.makeToken()
            state.tokens[token] = Grant(clientID: clientID, service: service, expires: now + lifetime)
            return .issued(token)
        }
    }

    /// Records the assertion `jti` of `clientID`, which expires at `expires`; `false` when it
    /// was accepted before (a replay).
    func accept(assertion jti: String, clientID: String, expires: Date, at now: Date) -> Bool {
        state.withLock { state in
            state.assertions = state.assertions.filter { $0.value > now }
            let key = clientID + "\u{0}" + jti
            guard state.assertions[key] == nil else { return false }
            state.assertions[key] = expires
            return true
        }
    }

    /// What `token` grants, live or expired; `nil` for a token this world never issued.
    func grant(_ token: String) -> Grant? {
        state.withLock { $0.tokens[token] }
    }

    /// Ends every token (the world was reset).
    func revokeAll() {
        state.withLock { $0 = State() }
    }

    /// 32 random bytes, base64url: opaque, and with 256 bits no two worlds ever issue the same.
    private static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return "fakedep." + Base64URL.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
