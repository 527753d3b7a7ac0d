import DEPSync
import DEPTestSupport
import Foundation
import Testing

/// The service URL a state directory remembers, so that `--url` is given once.
struct RememberedServiceURLTests {
    @Test func aRememberedURLIsReadBackAndReplacedByTheNextOne() async throws {
        try await ScratchDirectory.with { directory in
            #expect(RememberedServiceURL.read(stateDirectory: directory.path) == nil)

            try RememberedServiceURL.remember("https://mdmenrollment.apple.com", stateDirectory: directory.path)
            #expect(RememberedServiceURL.read(stateDirectory: directory.path) == "https://mdmenrollment.apple.com")
            let file = directory.appendingPathComponent(RememberedServiceURL.fileName)
            #expect(try String(contentsOf: file, encoding: .utf8) == "https://mdmenrollment.apple.com\n")

            try RememberedServiceURL.remember("http://127.0.0.1:8080", stateDirectory: directory.path)
            #expect(RememberedServiceURL.read(stateDirectory: directory.path) == "http://127.0.0.1:8080")
        }
    }

    @Test func aFileHoldingNothingRemembersNothing() async throws {
        try await ScratchDirectory.with { directory in
            try Data(" \n".utf8).write(to: directory.appendingPathComponent(RememberedServiceURL.fileName))
            #expect(RememberedServiceURL.read(stateDirectory: directory.path) == nil)
        }
    }
}
