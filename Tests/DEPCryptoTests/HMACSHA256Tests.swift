import DEPCrypto
import Testing

/// HMAC-SHA256 against the test vectors of RFC 4231.
@Suite struct HMACSHA256Tests {
    @Test func rfc4231TestCase1() {
        let code = HMACSHA256.hexAuthenticationCode(
            for: Array("Hi There".utf8), key: [UInt8](repeating: 0x0B, count: 20))
        #expect(code == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func rfc4231TestCase2WithAShortKey() {
        let code = HMACSHA256.hexAuthenticationCode(
            for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        #expect(code == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func rfc4231TestCase6WithAKeyLongerThanABlock() {
        let code = HMACSHA256.hexAuthenticationCode(
            for: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            key: [UInt8](repeating: 0xAA, count: 131))
        #expect(code == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func anEmptyKeyAndMessageStillSign() {
        #expect(
            HMACSHA256.hexAuthenticationCode(for: [UInt8](), key: [UInt8]())
                == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}
