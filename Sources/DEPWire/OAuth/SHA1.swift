/// SHA-1 (RFC 3174, FIPS 180-4 §6.1), the hash under OAuth's HMAC-SHA1 (dep-api §2.1).
///
/// `DEPWire` may not link OpenSSL, so this is a small pure-Swift implementation over bytes.
/// SHA-1 is broken for collision resistance but HMAC-SHA1 is still what Apple's `/session`
/// speaks; do not use this type for anything else.
struct SHA1 {
    /// The digest length in bytes.
    static let digestSize = 20
    /// The block length in bytes (what HMAC pads its key to).
    static let blockSize = 64

    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0)
    private var pending: [UInt8] = []
    private var messageLength: UInt64 = 0

    /// A hasher with no input yet.
    init() {
        pending.reserveCapacity(Self.blockSize)
    }

    /// The SHA-1 digest of `message`.
    static func hash(_ message: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA1()
        hasher.update(message)
        return hasher.finalize()
    }

    /// Feeds more message bytes.
    mutating func update(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            pending.append(byte)
            messageLength &+= 1
            if pending.count == Self.blockSize {
                compress(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Pads the message (a `1` bit, zeros, the 64-bit big-endian bit length) and returns the digest.
    consuming func finalize() -> [UInt8] {
        let bitLength = messageLength &* 8
        pending.append(0x80)
        if pending.count > Self.blockSize - 8 {
            pending.append(contentsOf: repeatElement(0, count: Self.blockSize - pending.count))
            compress(pending)
            pending.removeAll(keepingCapacity: true)
        }
        pending.append(contentsOf: repeatElement(0, count: Self.blockSize - 8 - pending.count))
        for shift in stride(from: 56, through: 0, by: -8) {
            pending.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        compress(pending)
        var digest: [UInt8] = []
        digest.reserveCapacity(Self.digestSize)
        for word in [state.0, state.1, state.2, state.3, state.4] {
            digest.append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> $0) })
        }
        return digest
    }

    /// Processes one 64-byte block (FIPS 180-4 §6.1.2).
    private mutating func compress(_ block: [UInt8]) {
        var w = [UInt32](repeating: 0, count: 80)
        for t in 0..<16 {
            w[t] =
                UInt32(block[4 * t]) << 24 | UInt32(block[4 * t + 1]) << 16
                | UInt32(block[4 * t + 2]) << 8 | UInt32(block[4 * t + 3])
        }
        for t in 16..<80 {
            w[t] = rotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], by: 1)
        }
        var (a, b, c, d, e) = state
        for t in 0..<80 {
            let f: UInt32
            let k: UInt32
            switch t {
            case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
            case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
            case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
            default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
            }
            let temp = rotateLeft(a, by: 5) &+ f &+ e &+ k &+ w[t]
            (e, d, c, b, a) = (d, c, rotateLeft(b, by: 30), a, temp)
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e)
    }

    private func rotateLeft(_ value: UInt32, by count: UInt32) -> UInt32 {
        value << count | value >> (32 - count)
    }
}
