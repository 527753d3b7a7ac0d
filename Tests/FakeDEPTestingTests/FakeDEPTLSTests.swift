import DEPCrypto
import DEPSync
import FakeDEPServer
import FakeDEPTesting
import Foundation
import Testing

/// A fakedep in this process serving HTTPS, for an MDM's tests of its TLS: the URL is
/// `https://`, and the authority to trust is a file and its text.
struct FakeDEPTLSTests {
    @Test func itServesHTTPSThatOnlyItsAuthorityVouchesFor() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("FakeDEPTLS-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = FakeDEP.Options()
        options.tls = .localAuthority(directory: directory.path)
        let fakedep = try await FakeDEP.start(options)

        #expect(fakedep.url.absoluteString == "https://127.0.0.1:\(fakedep.port)")
        let authorityFile = try #require(fakedep.authorityFile)
        #expect(authorityFile == directory.appendingPathComponent("ca.pem").path)
        let authority = try Certificate(pem: try #require(try fakedep.authorityPEM))
        #expect(authority.subjectCommonName?.hasPrefix("fakedep local CA") == true)

        var trusting = TransportOptions()
        trusting.caFile = authorityFile
        let client = HTTPClient(userAgent: "fakedep-tls-test/1.0", options: trusting)
        let health = try await client.send(
            HTTPRequest(method: "GET", url: fakedep.url.absoluteString + "/_fakedep/health"))
        #expect(health.status == 200)
        await #expect {
            try await HTTPClient(userAgent: "fakedep-tls-test/1.0")
                .send(HTTPRequest(method: "GET", url: fakedep.url.absoluteString + "/_fakedep/health"))
        } throws: { ($0 as? TransportError)?.isUntrustedServer == true }

        await fakedep.stop()
    }
}
