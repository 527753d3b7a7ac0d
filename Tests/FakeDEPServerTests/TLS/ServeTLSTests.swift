import DEPCrypto
import DEPSync
import DEPTestSupport
import Foundation
import Testing

/// `fakedep serve --tls` and `fakedep ca`, as the built binary: HTTPS with a certificate of
/// fakedep's own authority that clients verify, or with the user's certificate.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct ServeTLSTests {
    @Test func aClientTrustingTheAuthorityIsServedAndOneWithoutItIsRefused() async throws {
        try await ScratchDirectory.with { directory in
            try await ServedFakeDEP.with(["--tls", "--db", ":memory:", "--tls-dir", "tls"], in: directory) { served in
                #expect(served.url.hasPrefix("https://127.0.0.1:"))
                let authority = directory.appendingPathComponent("tls/ca.pem").path

                var trusting = TransportOptions()
                trusting.caFile = authority
                let health = try await HTTPClient(userAgent: "tls-test/1.0", options: trusting)
                    .send(HTTPRequest(method: "GET", url: served.url + "/_fakedep/health"))
                #expect(health.status == 200)

                await #expect {
                    _ = try await HTTPClient(userAgent: "tls-test/1.0")
                        .send(HTTPRequest(method: "GET", url: served.url + "/_fakedep/health"))
                } throws: { error in
                    (error as? TransportError)?.isUntrustedServer == true
                        && (error as? TransportError)?.message.contains("certificate") == true
                }

                let binary = try #require(FakeDEPBinary.url)
                let refused = try await ChildProcess.run(
                    binary, ["server", "list", "--url", served.url], in: directory)
                #expect(refused.status != 0)
                #expect(refused.standardError.contains("has a certificate this client does not trust"), "\(refused)")
                #expect(refused.standardError.contains("--ca-file"))
                let listed = try await ChildProcess.run(
                    binary, ["server", "list", "--url", served.url, "--ca-file", authority], in: directory)
                #expect(listed.status == 0, "\(listed)")
            }
        }
    }

    /// The certificate names Apple's hosts, which the portal then answers to, and no other name.
    @Test func aNameTheCertificateDoesNotCarryIsRefused() async throws {
        try await ScratchDirectory.with { directory in
            try await ServedFakeDEP.with(["--tls", "--db", ":memory:", "--tls-dir", "tls"], in: directory) { served in
                let authority = directory.appendingPathComponent("tls/ca.pem").path
                func handshake(as name: String) async throws -> ChildProcess.Outcome {
                    try await ChildProcess.run(
                        URL(fileURLWithPath: "/usr/bin/env"),
                        [
                            "openssl", "s_client", "-connect", "127.0.0.1:\(served.port)", "-servername", name,
                            "-verify_hostname", name, "-CAfile", authority, "-verify_return_error",
                        ], in: directory)
                }
                let apple = try await handshake(as: "mdmenrollment.apple.com")
                #expect(apple.status == 0, "\(apple)")
                let other = try await handshake(as: "elsewhere.example.com")
                #expect(other.status != 0)
                #expect((other.standardOutput + other.standardError).contains("hostname mismatch"), "\(other)")

                var trusting = TransportOptions()
                trusting.caFile = authority
                let client = HTTPClient(userAgent: "tls-test/1.0", options: trusting)
                let portal = try await client.send(
                    HTTPRequest(
                        method: "GET", url: served.url + "/portal/orders",
                        headers: [("Host", "mdmenrollment.apple.com:\(served.port)")]))
                #expect(portal.status == 200)
                let rebound = try await client.send(
                    HTTPRequest(
                        method: "GET", url: served.url + "/portal/orders",
                        headers: [("Host", "elsewhere.example.com:\(served.port)")]))
                #expect(rebound.status == 421)
            }
        }
    }

    @Test func theAuthorityIsKeptAcrossRestartsAndTheServerCertificateIssuedAgainWhenItsNamesChange() async throws {
        try await ScratchDirectory.with { directory in
            let folder = directory.appendingPathComponent("fakedep-tls")
            let store = ["--tls", "--db", directory.appendingPathComponent("fakedep.sqlite").path]
            func files() throws -> (authority: Data, server: Data) {
                (
                    try Data(contentsOf: folder.appendingPathComponent("ca.pem")),
                    try Data(contentsOf: folder.appendingPathComponent("server.pem"))
                )
            }
            try await ServedFakeDEP.with(store, in: directory) { _ in }
            let first = try files()
            for key in ["ca-key.pem", "server-key.pem"] {
                let attributes = try FileManager.default.attributesOfItem(
                    atPath: folder.appendingPathComponent(key).path)
                #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(key)")
            }

            try await ServedFakeDEP.with(store, in: directory) { _ in }
            let again = try files()
            #expect(again.authority == first.authority)
            #expect(again.server == first.server)

            try await ServedFakeDEP.with(store + ["--public-host", "fakedep.ci.internal"], in: directory) { _ in }
            let renamed = try files()
            #expect(renamed.authority == first.authority)
            #expect(renamed.server != first.server)
            let certificate = try Certificate(bytes: renamed.server)
            #expect(certificate.subjectAlternativeNames.contains("DNS:fakedep.ci.internal"))
            #expect(certificate.isSigned(by: try Certificate(bytes: renamed.authority)))
        }
    }

    @Test func fakedepCAPrintsTheAuthorityThatVerifiesTheServerCertificate() async throws {
        try await ScratchDirectory.with { directory in
            let binary = try #require(FakeDEPBinary.url)
            let printed = try await ChildProcess.run(binary, ["ca", "--db", "fakedep.sqlite"], in: directory)
            #expect(printed.status == 0, "\(printed)")
            #expect(printed.standardOutput.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
            #expect(printed.standardError.contains("update-ca-certificates"))
            #expect(printed.standardError.contains("SSL_CERT_FILE="))
            try printed.output.write(to: directory.appendingPathComponent("printed.pem"))
            let shown = try await ChildProcess.openssl(
                ["x509", "-in", "printed.pem", "-noout", "-text"], in: directory)
            #expect(shown.standardOutput.contains("CA:TRUE"))
            #expect(shown.standardOutput.contains("Certificate Sign"))

            try await ServedFakeDEP.with(["--tls", "--db", "fakedep.sqlite"], in: directory) { _ in }
            let verified = try await ChildProcess.openssl(
                ["verify", "-purpose", "sslserver", "-CAfile", "printed.pem", "fakedep-tls/server.pem"],
                in: directory)
            #expect(verified.standardOutput.contains("fakedep-tls/server.pem: OK"))
            let again = try await ChildProcess.run(binary, ["ca", "--db", "fakedep.sqlite"], in: directory)
            #expect(again.output == printed.output)
        }
    }

    @Test func everyTLSOptionHasItsVariable() async throws {
        try await ScratchDirectory.with { directory in
            let binary = try #require(FakeDEPBinary.url)
            let serving = try ChildProcess.start(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "FAKEDEP_TLS=1", "FAKEDEP_TLS_DIR=from-env", "FAKEDEP_DB=:memory:", "FAKEDEP_READY_FILE=ready",
                    binary.path, "serve", "--port", "0",
                ], in: directory)
            var url = ""
            for _ in 0..<600 where url.isEmpty {
                url = (try? String(contentsOf: directory.appendingPathComponent("ready"), encoding: .utf8)) ?? ""
                try await Task.sleep(for: .milliseconds(100))
            }
            serving.send(SIGTERM)
            _ = try await serving.outcome()
            #expect(url.hasPrefix("https://127.0.0.1:"))
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("from-env/ca.pem").path))

            let both = try await ChildProcess.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                ["FAKEDEP_TLS_CERT=own.pem", "FAKEDEP_TLS_DIR=x", binary.path, "serve", "--tls-key", "k.pem"],
                in: directory)
            #expect(both.status != 0)
            #expect(both.standardError.contains("--tls-dir is where fakedep's own certificate is kept"), "\(both)")
        }
    }

    @Test func aCertificateOfTheUsersOwnIsServedAndItsNamesAnswered() async throws {
        try await ScratchDirectory.with { directory in
            try await ChildProcess.openssl(
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                    "-subj", "/CN=own", "-addext", "subjectAltName=DNS:own.example.test,IP:127.0.0.1",
                    "-keyout", "own-key.pem", "-out", "own.pem",
                ], in: directory)
            let own = ["--tls-cert", "own.pem", "--tls-key", "own-key.pem", "--db", ":memory:"]
            try await ServedFakeDEP.with(own, in: directory) { served in
                #expect(served.url.hasPrefix("https://"))
                var trusting = TransportOptions()
                trusting.caFile = directory.appendingPathComponent("own.pem").path
                let portal = try await HTTPClient(userAgent: "tls-test/1.0", options: trusting).send(
                    HTTPRequest(
                        method: "GET", url: served.url + "/portal/orders",
                        headers: [("Host", "own.example.test:\(served.port)")]))
                #expect(portal.status == 200)
            }
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("fakedep-tls").path))

            try await ChildProcess.openssl(["genrsa", "-out", "other-key.pem", "2048"], in: directory)
            let binary = try #require(FakeDEPBinary.url)
            let mismatched = try await ChildProcess.run(
                binary,
                ["serve", "--port", "0", "--db", ":memory:", "--tls-cert", "own.pem", "--tls-key", "other-key.pem"],
                in: directory)
            #expect(mismatched.status != 0)
            #expect(mismatched.standardError.contains("Cannot serve own.pem with other-key.pem"), "\(mismatched)")
            let alone = try await ChildProcess.run(binary, ["serve", "--tls-cert", "own.pem"], in: directory)
            #expect(alone.standardError.contains("--tls-cert and --tls-key go together"), "\(alone)")
        }
    }
}
