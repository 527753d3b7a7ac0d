import DEPCrypto
import Foundation
import Testing

/// Our SignedData against the `openssl` command, in both directions.
@Suite("SignedData and the openssl command")
struct SignedDataInteropTests {
    @Test("openssl cms verifies our message and prints the content")
    func opensslVerifies() async throws {
        let content = SignedDataTests.machineInfo
        let message = try SignedData.sign(content, certificate: Fixture.certificate, key: Fixture.key)
        try await withTemporaryDirectory { directory in
            try directory.write(message, to: "machineinfo.der")
            let verified = try await openssl(
                ["cms", "-verify", "-noverify", "-binary", "-inform", "DER", "-in", "machineinfo.der"],
                in: directory
            )
            #expect(verified == content)
        }
    }

    @Test("Our message uses SHA-256 and carries the signer certificate")
    func opensslSeesSHA256AndCertificate() async throws {
        let message = try SignedData.sign(
            SignedDataTests.machineInfo, certificate: Fixture.certificate, key: Fixture.key)
        try await withTemporaryDirectory { directory in
            try directory.write(message, to: "machineinfo.der")
            let structure = try await opensslText(
                ["cms", "-cmsout", "-print", "-inform", "DER", "-in", "machineinfo.der"], in: directory)
            #expect(structure.contains("algorithm: sha256 (2.16.840.1.101.3.4.2.1)"))
            #expect(structure.contains("d.certificate:"))
            let certificates = try await opensslText(
                ["pkcs7", "-print_certs", "-inform", "DER", "-in", "machineinfo.der"], in: directory)
            #expect(certificates.contains(try Fixture.certificate.pem))
        }
    }

    @Test(
        "A message signed by openssl opens, DER or streamed BER",
        arguments: [[], ["-stream"]]
    )
    func opensMessageSignedByOpenSSL(extra: [String]) async throws {
        let content = SignedDataTests.machineInfo
        try await withTemporaryDirectory { directory in
            let files = try Fixture.writeKeyPair(to: directory)
            try directory.write(content, to: "machineinfo.plist")
            let message = try await openssl(
                [
                    "cms", "-sign", "-nodetach", "-binary", "-outform", "DER", "-in", "machineinfo.plist",
                    "-signer", files.certificate, "-inkey", files.key,
                ] + extra,
                in: directory
            )
            let opened = try SignedData.open(message)
            #expect(opened.content == content)
            #expect(try opened.signers.map { try $0.der } == [Fixture.certificate.der])
        }
    }

    @Test("A message signed by openssl with an EC key opens")
    func opensECSignedMessage() async throws {
        try await withTemporaryDirectory { directory in
            let files = try await Fixture.writeECKeyPair(to: directory)
            try directory.write(Data("profile".utf8), to: "profile.plist")
            let message = try await openssl(
                [
                    "cms", "-sign", "-nodetach", "-binary", "-outform", "DER", "-in", "profile.plist",
                    "-signer", files.certificate, "-inkey", files.key,
                ],
                in: directory
            )
            let opened = try SignedData.open(message)
            #expect(opened.content == Data("profile".utf8))
            #expect(opened.signers.first?.subjectCommonName == "ec")
        }
    }

    @Test("A detached signature is not SignedData with its content")
    func detachedIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let files = try Fixture.writeKeyPair(to: directory)
            try directory.write(SignedDataTests.machineInfo, to: "machineinfo.plist")
            let message = try await openssl(
                [
                    "cms", "-sign", "-binary", "-outform", "DER", "-in", "machineinfo.plist",
                    "-signer", files.certificate, "-inkey", files.key,
                ],
                in: directory
            )
            let error = #expect(throws: CryptoError.self) { try SignedData.open(message) }
            #expect(error?.kind == .notSignedData)
            #expect(error?.reason == "the content is detached, not in the message")
        }
    }
}
