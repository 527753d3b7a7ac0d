import Testing

@testable import DEPWire

/// HMAC-SHA1 against the RFC 2202 vectors, and the constant-time comparison.
struct HMACTests {
    /// One RFC 2202 §3 test case.
    struct Vector: Sendable, CustomTestStringConvertible {
        let number: Int
        let key: [UInt8]
        let data: [UInt8]
        let digest: String
        var testDescription: String { "RFC 2202 case \(number)" }
    }

    static let vectors: [Vector] = [
        Vector(
            number: 1, key: .init(repeating: 0x0B, count: 20), data: Array("Hi There".utf8),
            digest: "b617318655057264e28bc0b6fb378c8ef146be00"),
        Vector(
            number: 2, key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
            digest: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        Vector(
            number: 3, key: .init(repeating: 0xAA, count: 20), data: .init(repeating: 0xDD, count: 50),
            digest: "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
        Vector(
            number: 4, key: Array(1...25), data: .init(repeating: 0xCD, count: 50),
            digest: "4c9007f4026250c6bc8414f9bf50c86c2d7235da"),
        Vector(
            number: 5, key: .init(repeating: 0x0C, count: 20), data: Array("Test With Truncation".utf8),
            digest: "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"),
        Vector(
            number: 6, key: .init(repeating: 0xAA, count: 80),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            digest: "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
        Vector(
            number: 7, key: .init(repeating: 0xAA, count: 80),
            data: Array("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".utf8),
            digest: "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"),
    ]

    @Test(arguments: vectors)
    func authenticationCodeMatchesRFC2202(vector: Vector) {
        #expect(hex(HMACSHA1.authenticationCode(for: vector.data, key: vector.key)) == vector.digest)
    }

    @Test func stringFormUsesUTF8Bytes() {
        #expect(
            HMACSHA1.authenticationCode(for: "what do ya want for nothing?", key: "Jefe")
                == HMACSHA1.authenticationCode(for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        )
    }

    @Test func constantTimeComparisonAcceptsEqualBytes() {
        #expect(ConstantTime.isEqual([1, 2, 3], [1, 2, 3]))
        #expect(ConstantTime.isEqual([UInt8](), [UInt8]()))
    }

    @Test(arguments: [[1, 2, 4], [0, 2, 3], [1, 2], [1, 2, 3, 4], []] as [[UInt8]])
    func constantTimeComparisonRejectsDifferentBytes(other: [UInt8]) {
        #expect(!ConstantTime.isEqual([1, 2, 3] as [UInt8], other))
    }
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}
