import DEPCrypto

/// The secret that guards the portal, test control and the web pages of a server started with
/// `--admin-token`: a program presents it as `Authorization: Bearer …`, a browser signs in with it
/// once and then presents the session cookie derived from it.
public struct AdminToken: Sendable {
    private let secret: [UInt8]
    /// What the session cookie holds: an HMAC-SHA256 of a fixed label keyed with the token, so a
    /// cookie that leaks (a screenshot of a browser's storage, a log) does not give the token away,
    /// and every cookie stops working when the server restarts with another token.
    let cookieValue: String

    /// The name of the session cookie the sign-in page sets.
    static let cookieName = "fakedep_admin"

    /// `nil` for an empty token, which would guard nothing.
    public init?(_ token: String) {
        guard !token.isEmpty else { return nil }
        secret = Array(token.utf8)
        cookieValue = Self.derive(from: secret)
    }

    /// Whether `presented` is the token. It is compared through its derived value, so the
    /// comparison takes the same time whatever its length and however much of it is right.
    func accepts(token presented: String) -> Bool {
        Self.constantTimeEqual(Array(Self.derive(from: Array(presented.utf8)).utf8), Array(cookieValue.utf8))
    }

    /// Whether `presented` is the session cookie's value.
    func accepts(cookie presented: String) -> Bool {
        Self.constantTimeEqual(Array(presented.utf8), Array(cookieValue.utf8))
    }

    private static func derive(from token: [UInt8]) -> String {
        HMACSHA256.hexAuthenticationCode(for: Array("fakedep admin session".utf8), key: token)
    }

    /// Compares every byte, so the time taken says nothing about where two values differ. The
    /// length is no secret: every cookie and derived value is 64 hexadecimal digits.
    private static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
