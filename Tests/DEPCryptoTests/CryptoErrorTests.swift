import DEPCrypto
import Foundation
import Testing

@Suite("CryptoError")
struct CryptoErrorTests {
    @Test("The description says what failed and quotes OpenSSL's reason")
    func descriptionCarriesReason() throws {
        let error = #expect(throws: CryptoError.self) { try Certificate(pem: Fixture.key.pkcs1PEM) }
        let description = try #require(error?.description)
        #expect(description.hasPrefix("The data is not an X.509 certificate"))
        #expect(description.contains("(OpenSSL: PEM routines: no start line)"))
    }

    @Test("A failure reports only its own reasons, not those of earlier failures")
    func reasonsDoNotLeak() throws {
        _ = try? Certificate(pem: Fixture.key.pkcs1PEM)
        // hasPublicKey leaves nothing behind after a mismatch either.
        #expect(!Fixture.certificate.hasPublicKey(of: Fixture.otherKey))
        let error = #expect(throws: CryptoError.self) { try PrivateKey(bytes: Data(repeating: 0xFF, count: 8)) }
        #expect(error?.reason.contains("no start line") == false)
        #expect(error?.reason.isEmpty == false)
    }

    @Test("An error without an OpenSSL reason still reads as a sentence")
    func descriptionWithoutReason() {
        let error = #expect(throws: CryptoError.self) {
            try Certificate.selfSigned(key: Fixture.key, commonName: "x", days: 0)
        }
        #expect(error?.description == "Creating the certificate failed (validity of 0 days is not a positive Int32)")
    }
}
