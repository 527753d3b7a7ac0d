import DEPSync
import DEPTestSupport
import DEPWire
import Foundation
import Testing

/// The built `depsync`, run as a child process against a hostile service, holds less than
/// 100 MB whatever the service sends, and leaves its store as it was.
@Suite(.enabled(if: DEPSyncBinary.url != nil, "the depsync binary is not built; run `swift build` first"))
struct HostileServiceMemoryTests {
    static let ceiling = 100 << 20

    @Test(arguments: [
        ("a page streamed without end", HostileService.Answer.endlessPage(bytes: 100 << 20), "more than 32 MiB"),
        ("a gzip bomb of 1 GiB", .gzipBomb(expandingTo: 1 << 30), "more than 32 MiB"),
        ("garbage", .garbage(bytes: 100 << 20), "more than 32 MiB"),
        ("a page of a million devices under the cap", .crowdedPage(bytes: 30 << 20), "more than the 1000 devices"),
        ("the same, where only JSONDecoder reads it", .crowdedPage(bytes: 30 << 20, byteOrderMark: true), "unreadable"),
    ])
    func peakMemoryStaysUnder100MBAndTheStoreIntact(kind: String, answer: HostileService.Answer, says: String)
        async throws
    {
        let binary = try #require(DEPSyncBinary.url)
        try await ScratchDirectory.with { directory in
            let state = directory.appendingPathComponent("state")
            let store = try LocalStore.open(stateDirectory: state.path)
            // The binary signs with the real time: a token valid from now.
            let tokens = OAuthTokens(
                consumerKey: "CK_hostile", consumerSecret: "CS", accessToken: "AT", accessSecret: "AS",
                accessTokenExpiry: Date().addingTimeInterval(365 * 86_400))
            try await store.storeToken(tokens, at: Date())
            _ = try await store.commitFetchPage(
                [
                    Device(serialNumber: "REAL1", model: "MacBook Air"),
                    Device(serialNumber: "REAL2", model: "iPad Air"),
                ],
                cursor: "f1", generation: 1, complete: true, at: Date(), autoAssign: false)
            let before = try await store.devices()

            try await HostileService.with({ request in
                ["/server/devices", "/devices/sync"].contains(request.path) ? answer : nil
            }) { service in
                // A full fetch: had the page been taken, it would have marked REAL1 and REAL2 removed.
                let outcome = try await MeasuredProcess.run(
                    binary, ["sync", "--full", "--state", state.path, "--url", service.baseURL], in: directory)

                #expect((1..<128).contains(outcome.status), "\(kind): \(outcome)")
                #expect(outcome.standardError.contains(says), "\(kind): \(outcome)")
                #expect(outcome.standardError.split(separator: "\n").count == 1, "\(kind): \(outcome)")
                #expect(outcome.peakMemory < Self.ceiling, "\(kind): \(outcome)")
            }
            #expect(try await store.devices() == before, "\(kind)")
        }
    }
}
