import Testing

@testable import DEPWire

/// SHA-1 against RFC 3174 / FIPS 180 vectors and padding-boundary lengths.
struct SHA1Tests {
    /// A message made of `count` copies of `unit`, and its digest.
    struct Vector: Sendable, CustomTestStringConvertible {
        let unit: String
        let count: Int
        let digest: String
        var testDescription: String { "\(count) × \"\(unit.prefix(8))\"" }
        var message: [UInt8] { Array(String(repeating: unit, count: count).utf8) }
    }

    static let vectors: [Vector] = [
        Vector(unit: "abc", count: 1, digest: "a9993e364706816aba3e25717850c26c9cd0d89d"),
        Vector(
            unit: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", count: 1,
            digest: "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        Vector(unit: "a", count: 1_000_000, digest: "34aa973cd4c4daa4f61eeb2bdbad27316534016f"),
        Vector(unit: "", count: 1, digest: "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        // Lengths around the 56-byte padding boundary and the 64-byte block.
        Vector(unit: "x", count: 55, digest: "cef734ba81a024479e09eb5a75b6ddae62e6abf1"),
        Vector(unit: "x", count: 56, digest: "901305367c259952f4e7af8323f480d59f81335b"),
        Vector(unit: "x", count: 63, digest: "0ddc4e0cccd9a12850deb5abb0853a4425559fec"),
        Vector(unit: "x", count: 64, digest: "bb2fa3ee7afb9f54c6dfb5d021f14b1ffe40c163"),
        Vector(unit: "x", count: 65, digest: "78c741ddc482e4cdf8c474a0876347a0905b6233"),
        Vector(unit: "x", count: 119, digest: "4300320394f7ee239bcdce7d3b8bcee173a0cd5c"),
        Vector(unit: "x", count: 120, digest: "ceb2821639c4b6dcb10bce0e522ca2e608ce056d"),
    ]

    @Test(arguments: vectors)
    func digestMatchesTheStandardVector(vector: Vector) {
        #expect(hex(SHA1.hash(vector.message)) == vector.digest)
    }

    @Test func feedingThePiecesGivesTheSameDigestAsOneShot() {
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        var hasher = SHA1()
        hasher.update(message[..<7])
        hasher.update(message[7..<50])
        hasher.update(message[50...])
        #expect(hasher.finalize() == SHA1.hash(message))
    }

    @Test func digestIsTwentyBytes() {
        #expect(SHA1.hash([1, 2, 3]).count == SHA1.digestSize)
    }
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}
