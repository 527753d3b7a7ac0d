import DEPCrypto
import DEPSync
import DEPTestSupport
import Foundation
import Testing

/// The certificate authorities a state directory remembers for its service, copied from the
/// `--ca-file` given once.
struct RememberedServiceCATests {
    @Test func aCAFileIsCopiedInAndStaysWhenTheOriginalGoes() async throws {
        try await ScratchDirectory.with { directory in
            #expect(RememberedServiceCA.file(stateDirectory: directory.path) == nil)
            let key = try PrivateKey.generateRSA()
            let authority = try Certificate.authority(key: key, commonName: "Remembered CA", days: 1)
            let original = directory.appendingPathComponent("elsewhere.pem")
            try Data(try authority.pem.utf8).write(to: original)

            try RememberedServiceCA.remember(caFile: original.path, stateDirectory: directory.path)
            try FileManager.default.removeItem(at: original)
            let kept = try #require(RememberedServiceCA.file(stateDirectory: directory.path))
            #expect(try Certificate(bytes: try Data(contentsOf: URL(fileURLWithPath: kept))).der == authority.der)

            try RememberedServiceCA.forget(stateDirectory: directory.path)
            #expect(RememberedServiceCA.file(stateDirectory: directory.path) == nil)
        }
    }

    @Test func aFileWithoutACertificateOrNoFileIsRefused() async throws {
        try await ScratchDirectory.with { directory in
            let garbage = directory.appendingPathComponent("garbage.pem")
            try Data("not a certificate".utf8).write(to: garbage)
            #expect {
                try RememberedServiceCA.remember(caFile: garbage.path, stateDirectory: directory.path)
            } throws: { "\($0)".contains("holds no PEM certificate") }
            #expect {
                try RememberedServiceCA.remember(caFile: "/nonexistent/ca.pem", stateDirectory: directory.path)
            } throws: { "\($0)".contains("/nonexistent/ca.pem cannot be read") }
            #expect(RememberedServiceCA.file(stateDirectory: directory.path) == nil)
        }
    }
}
