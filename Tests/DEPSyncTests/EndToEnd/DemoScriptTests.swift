import DEPTestSupport
import Foundation
import Testing

/// `scripts/demo`: the whole corporate-device enrollment flow, replayed by the script against a
/// fresh `fakedep` with the built binaries, as a person would run it.
@Suite(.enabled(if: DemoScript.binaries != nil, "fakedep and depsync are not built; run `swift build` first"))
struct DemoScriptTests {
    @Test func theDemoRunsEveryStepToCompletion() async throws {
        let binaries = try #require(DemoScript.binaries)
        try await ScratchDirectory.with { scratch in
            let outcome = try await ChildProcess.run(
                Repository.url("scripts/demo"), ["--bin", binaries.path], in: scratch)
            #expect(outcome.status == 0, "scripts/demo failed: \(outcome)")
            #expect(outcome.standardOutput.contains("Demo complete."), "scripts/demo did not finish: \(outcome)")
        }
    }
}

/// Where the script finds the binaries.
enum DemoScript {
    /// The directory that holds both built binaries, for the script's `--bin`.
    static var binaries: URL? {
        guard let fakedep = BuiltBinary.url("fakedep") else { return nil }
        let directory = fakedep.deletingLastPathComponent()
        let depsync = directory.appendingPathComponent("depsync")
        return FileManager.default.isExecutableFile(atPath: depsync.path) ? directory : nil
    }
}
