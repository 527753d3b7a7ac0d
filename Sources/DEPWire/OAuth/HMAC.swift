/// HMAC-SHA1 (RFC 2104), the only signature method Apple's `/session` accepts (dep-api §2.1).
/// The fake also seals its cursors with it.
public enum HMACSHA1 {
    /// The authentication code of `message` under `key`.
    public static func authenticationCode(for message: some Sequence<UInt8>, key: some Collection<UInt8>) -> [UInt8] {
        // Keys longer than a block are hashed first; shorter ones are zero-padded (RFC 2104 §2).
        var blockKey = key.count > SHA1.blockSize ? SHA1.hash(key) : Array(key)
        blockKey.append(contentsOf: repeatElement(0, count: SHA1.blockSize - blockKey.count))

        var inner = SHA1()
        inner.update(blockKey.map { $0 ^ 0x36 })
        inner.update(message)
        let innerDigest = inner.finalize()

        var outer = SHA1()
        outer.update(blockKey.map { $0 ^ 0x5C })
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// The authentication code of the UTF-8 bytes of `message` under the UTF-8 bytes of `key`.
    static func authenticationCode(for message: String, key: String) -> [UInt8] {
        authenticationCode(for: message.utf8, key: Array(key.utf8))
    }
}

/// Comparison of secrets whose running time does not depend on where they first differ.
public enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes; for equal lengths it always reads every byte,
    /// so a verifier does not leak how much of a forged signature was right.
    public static func isEqual(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) {
            difference |= left ^ right
        }
        return difference == 0
    }
}
