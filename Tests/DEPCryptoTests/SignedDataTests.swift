import DEPCrypto
import Foundation
import Testing

@Suite("SignedData")
struct SignedDataTests {
    /// A MachineInfo property list shaped like the one a device POSTs during enrollment.
    static let machineInfo = Data(
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
        <plist version="1.0">
        <dict>
        \t<key>SERIAL</key>
        \t<string>C02XL0GHJGH5</string>
        \t<key>UDID</key>
        \t<string>5C1F6F6E-5AB8-4C1A-9E44-6A3E1B9F0D21</string>
        </dict>
        </plist>

        """.utf8)

    static let contents: [Data] = [
        Data(),
        Data("x".utf8),
        Data("line one\r\nline two\nline three\r".utf8),
        machineInfo,
        Data((0...255).map { UInt8($0) }),
        Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }),
    ]

    @Test("Signing then opening returns the content byte for byte", arguments: contents)
    func roundTrip(content: Data) throws {
        let message = try SignedData.sign(content, certificate: Fixture.certificate, key: Fixture.key)
        let opened = try SignedData.open(message)
        #expect(opened.content == content)
    }

    @Test("The signers are the signing certificate, carried in the message")
    func signersCarryTheCertificate() throws {
        let message = try SignedData.sign(Self.machineInfo, certificate: Fixture.certificate, key: Fixture.key)
        let opened = try SignedData.open(message)
        #expect(try opened.signers.map { try $0.der } == [Fixture.certificate.der])
        #expect(opened.signers.first?.hasPublicKey(of: Fixture.key) == true)
    }

    @Test("The message is DER SignedData with the content attached")
    func messageIsDERWithAttachedContent() throws {
        let message = try SignedData.sign(Self.machineInfo, certificate: Fixture.certificate, key: Fixture.key)
        // SEQUENCE with a definite two-byte length, then the signedData OID (1.2.840.113549.1.7.2).
        let prefix: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02]
        #expect(Array(message.prefix(2)) == [0x30, 0x82])
        #expect(Array(message.dropFirst(4).prefix(prefix.count)) == prefix)
        #expect(message.firstRange(of: Self.machineInfo) != nil)
    }

    @Test("A changed byte of the content fails verification")
    func tamperedContent() throws {
        var message = try SignedData.sign(Self.machineInfo, certificate: Fixture.certificate, key: Fixture.key)
        let range = try #require(message.firstRange(of: Self.machineInfo))
        message[range.lowerBound + 200] ^= 0x01
        let error = #expect(throws: CryptoError.self) { try SignedData.open(message) }
        #expect(error?.kind == .badSignature)
        #expect(error?.reason.isEmpty == false)
    }

    @Test("A changed byte of the signature fails verification")
    func tamperedSignature() throws {
        // With no unsigned attributes, the RSA signature is the message's last 256 bytes.
        var message = try SignedData.sign(Self.machineInfo, certificate: Fixture.certificate, key: Fixture.key)
        message[message.endIndex - 100] ^= 0x01
        let error = #expect(throws: CryptoError.self) { try SignedData.open(message) }
        #expect(error?.kind == .badSignature)
    }

    @Test("A key that does not match the certificate is refused")
    func wrongKey() {
        let error = #expect(throws: CryptoError.self) {
            try SignedData.sign(Self.machineInfo, certificate: Fixture.certificate, key: Fixture.otherKey)
        }
        #expect(error?.kind == .wrongKey)
    }

    @Test("EnvelopedData is not SignedData")
    func envelopedDataIsRefused() throws {
        let envelope = try EnvelopedData.encrypt(Self.machineInfo, to: Fixture.certificate)
        let error = #expect(throws: CryptoError.self) { try SignedData.open(envelope) }
        #expect(error?.kind == .notSignedData)
        #expect(error?.reason == "content type is pkcs7-envelopedData")
    }

    @Test(
        "Garbage and empty input is corrupt data, not a crash",
        arguments: [
            Data(), Data([0x30]), Data([0x30, 0x80]), Data(repeating: 0xAB, count: 1024),
            Data((0..<512).map { _ in UInt8.random(in: 0...255) }),
        ]
    )
    func garbage(bytes: Data) {
        let error = #expect(throws: CryptoError.self) { try SignedData.open(bytes) }
        #expect(error?.kind == .corruptData)
    }

    @Test("Truncated or trailing bytes are corrupt data")
    func truncatedOrTrailing() throws {
        let message = try SignedData.sign(Self.machineInfo, certificate: Fixture.certificate, key: Fixture.key)
        for bytes in [message.dropLast(1), message.dropLast(300), message + Data([0x30])] {
            let error = #expect(throws: CryptoError.self) { try SignedData.open(Data(bytes)) }
            #expect(error?.kind == .corruptData)
        }
    }
}
