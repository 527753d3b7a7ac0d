import DEPCrypto
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `anchor_certs` and `supervising_host_certs` must be base64 DER X.509 certificates (dep-api
/// §5.1); anything else is 400 `MALFORMED_REQUEST_BODY` (Apple documents no code of its own).
struct ProfileCertificateTests {
    /// Entries that are not a base64 DER certificate, and why.
    static let notCertificates: [(String, String)] = [
        ("not base64", "not base64!!"),
        ("empty", ""),
        ("base64 of text", Data("hello, world".utf8).base64EncodedString()),
        ("a key's DER", try! PrivateKey.generateRSA(bits: 1024).pkcs1DER.base64EncodedString()),
        ("a certificate with trailing bytes", (try! TestIdentity.der + Data([0])).base64EncodedString()),
    ]

    @Test(arguments: ["anchor_certs", "supervising_host_certs"], notCertificates.map(\.1))
    func anEntryThatIsNotACertificateIsRefused(key: String, entry: String) async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer(devices: 1)
            let good = try TestIdentity.der.base64EncodedString()
            let list = try DEPJSON.encodeString([good, entry])
            let json =
                #"{"profile_name":"P","url":"https://mdm.example/enroll","\#(key)":\#(list),"devices":["\#(linked.serials[0])"]}"#
            #expect(
                try await linked.session.call("POST", "/profile", json: json).answer
                    == PlainAnswer(400, "MALFORMED_REQUEST_BODY"))
            #expect(try await linked.session.device(linked.serials[0]).profileStatus == .empty)
        }
    }

    @Test func theDocumentedChecksComeFirst() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            let json = #"{"url":"https://mdm.example/enroll","anchor_certs":["garbage"]}"#
            #expect(
                try await linked.session.call("POST", "/profile", json: json).answer
                    == PlainAnswer(400, "CONFIG_NAME_REQUIRED"))
        }
    }

    @Test func certificatesAndEmptyListsAreAccepted() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer()
            var profile = Profile(profileName: "P", url: "https://mdm.example/enroll")
            profile.anchorCerts = [try TestIdentity.der.base64EncodedString()]
            profile.supervisingHostCerts = []
            #expect(!(try await linked.session.defineProfile(try DEPJSON.encodeString(profile)).profileUUID.isEmpty))
        }
    }
}

/// A supervision identity made once for these tests.
enum TestIdentity {
    static let identity = Result { try SupervisionIdentity.make(organisation: "Test Org") }

    /// The identity's certificate, DER.
    static var der: Data {
        get throws { try identity.get().certificateDER }
    }
}
