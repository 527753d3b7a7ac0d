import Testing

@testable import DEPWire

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Strict base64 decoding of the S/MIME body (RFC 4648 §4, dep-api §1.4 step 1).
struct Base64BodyTests {
    @Test(arguments: [0, 1, 2, 3, 4, 5, 20, 255, 256])
    func decodesWhatFoundationEncodes(count: Int) throws {
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        let text = Data(bytes).base64EncodedString()
        if bytes.isEmpty {
            #expect(throws: ServerTokenError.invalidBase64("the body is empty")) { try Base64Body.decode(text) }
        } else {
            #expect(try Base64Body.decode(text) == bytes)
        }
    }

    @Test func whitespaceIsIgnored() throws {
        #expect(try Base64Body.decode(" SGVs\r\nbG8s\tIHdv\ncmxk ") == Array("Hello, world".utf8))
    }

    @Test(arguments: [
        ("", "the body is empty"),
        ("\r\n \t", "the body is empty"),
        ("SGVsbG8", "its length, 7 characters, is not a multiple of 4"),
        ("SGVsbG8sIHdvcmxk!", "it contains a character outside the base64 alphabet"),
        ("SGV-bG8s", "it contains a character outside the base64 alphabet"),
        ("SGVs_G8s", "it contains a character outside the base64 alphabet"),
        ("SG==bG8s", "'=' padding appears before the end"),
        ("S===", "'=' padding appears before the end"),
        ("====", "'=' padding appears before the end"),
        ("SGVsbG8=\u{FF}", "it contains a character outside the base64 alphabet"),
    ])
    func malformedBase64IsRejectedWithAReason(text: String, reason: String) {
        #expect(throws: ServerTokenError.invalidBase64(reason)) { try Base64Body.decode(text) }
    }
}
