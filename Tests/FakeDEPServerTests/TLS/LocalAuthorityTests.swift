import DEPCrypto
import DEPTestSupport
import Foundation
import Testing

@testable import FakeDEPServer

/// fakedep's own authority over time: made once, its server certificate kept while it names
/// what it must and is far from its end, issued again otherwise.
struct LocalAuthorityTests {
    @Test func theServerCertificateIsKeptUntilItNearsItsEndAndTheAuthorityStays() async throws {
        try await ScratchDirectory.with { directory in
            let start = Date()
            let names = ServerTLS.subjectAlternativeNames(for: ["127.0.0.1"])
            let authority = try LocalAuthority.open(directory: directory.path, now: start)
            let first = try authority.serverIdentity(subjectAlternativeNames: names, now: start)
            #expect(Set(first.names) == Set(["localhost", "127.0.0.1", "::1"] + ServerTLS.appleHostNames))
            let issued = try serverCertificate(in: directory)

            let later = start.addingTimeInterval(300 * 86_400)
            let reopened = try LocalAuthority.open(directory: directory.path, now: later)
            #expect(try reopened.certificate.der == authority.certificate.der)
            _ = try reopened.serverIdentity(subjectAlternativeNames: names, now: later)
            #expect(try serverCertificate(in: directory).serialNumber == issued.serialNumber)

            // 20 days before its end: within the 30-day margin.
            let nearItsEnd = start.addingTimeInterval(Double(LocalAuthority.serverDays - 20) * 86_400)
            _ = try reopened.serverIdentity(subjectAlternativeNames: names, now: nearItsEnd)
            let renewed = try serverCertificate(in: directory)
            #expect(renewed.serialNumber != issued.serialNumber)
            #expect(renewed.isSigned(by: authority.certificate))
            #expect(try #require(renewed.notAfter) > nearItsEnd.addingTimeInterval(300 * 86_400))
        }
    }

    @Test func aCertificateAuthorityThatCannotBeReadIsAClearError() async throws {
        try await ScratchDirectory.with { directory in
            try Data("not a certificate".utf8).write(to: directory.appendingPathComponent("ca.pem"))
            #expect {
                try LocalAuthority.open(directory: directory.path)
            } throws: { error in
                "\(error)".contains("The certificate authority in \(directory.path) cannot be read")
                    && "\(error)".contains("remove the directory")
            }
        }
    }

    @Test func wildcardsAndRepeatsAddNoName() {
        let names = ServerTLS.subjectAlternativeNames(for: [
            "0.0.0.0", "::", "LOCALHOST", "[::1]", "ci.example.", "10.0.0.5",
        ])
        #expect(names.filter { $0 == "DNS:localhost" }.count == 1)
        #expect(names.filter { $0 == "IP:::1" }.count == 1)
        #expect(names.contains("DNS:ci.example"))
        #expect(names.contains("IP:10.0.0.5"))
        #expect(!names.contains { $0.hasSuffix("0.0.0.0") || $0 == "IP:::" })
    }

    private func serverCertificate(in directory: URL) throws -> Certificate {
        try Certificate(bytes: try Data(contentsOf: directory.appendingPathComponent("server.pem")))
    }
}
