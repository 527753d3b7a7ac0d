import DEPSync
import DEPTestSupport
import Foundation
import Testing

/// `fakedep` killed with SIGKILL at random moments of its longest operations loses nothing it
/// answered, keeps no operation half done, and starts again on the same store with every view of
/// it agreeing. `FAKEDEP_CRASH_RUNS` sets the kill points per operation (default 5: 20 in all,
/// besides each operation's measuring run, killed just after its answer); `FAKEDEP_CRASH_SEED` replays a run's moments.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct CrashConsistencyTests {
    /// How one run ended.
    private struct Run {
        var duration: Duration
        /// Whether the kill came before the operation's answer.
        var killedMidOperation: Bool
        var applied: Bool
    }

    @Test func aKillAtAnyMomentLeavesEachOperationWholeOrAbsentAndEveryViewAgreeing() async throws {
        let environment = ProcessInfo.processInfo.environment
        let runs = environment["FAKEDEP_CRASH_RUNS"].flatMap(Int.init) ?? 5
        let seed = environment["FAKEDEP_CRASH_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        var random = SplitMix64(seed: seed)
        try await ScratchDirectory.with { directory in
            let base = directory.appendingPathComponent("base")
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
            let store = try await CrashStore.make(in: base)
            var killPoints = 0
            var midOperation = 0
            var summary: [String] = []
            for operation in CrashOperation.allCases {
                let measured = try await Self.run(operation, on: store, killAfter: nil, in: directory)
                var applied = 0
                for _ in 0..<runs {
                    let moment = measured.duration * Double.random(in: 0..<1, using: &random)
                    let run = try await Self.run(operation, on: store, killAfter: moment, in: directory)
                    killPoints += 1
                    if run.killedMidOperation { midOperation += 1 }
                    if run.applied { applied += 1 }
                }
                summary.append("\(operation.rawValue): \(measured.duration) unkilled, \(applied)/\(runs) kept")
            }
            // The figures a failure is replayed from (FAKEDEP_CRASH_SEED, FAKEDEP_CRASH_RUNS).
            print(
                "crash consistency: seed \(seed), \(killPoints) kill points, \(midOperation) mid-operation; "
                    + summary.joined(separator: "; "))
        }
    }

    /// Copies the store, starts `fakedep` on it, sends `operation` and kills the process
    /// `killAfter` into it (or just after its answer), then starts it again on the same files
    /// and examines what it kept.
    private static func run(
        _ operation: CrashOperation, on store: CrashStore, killAfter: Duration?, in directory: URL
    ) async throws -> Run {
        let runDirectory = directory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: runDirectory) }
        let database = try store.copy(into: runDirectory)
        let worlds = runDirectory.appendingPathComponent("worlds")

        let serve = try await ServeProcess.start(database: database, worldsDirectory: worlds, in: runDirectory)
        let headers = try await operation.prepare(serve, store)
        let clock = ContinuousClock()
        let started = clock.now
        let request = Task { try await operation.perform(serve, store, headers: headers) }
        if let killAfter {
            try await Task.sleep(for: killAfter)
        } else {
            let answer = try await request.value
            #expect((200..<300).contains(answer.status), "\(operation.rawValue): \(answer.status) \(answer.text)")
        }
        let duration = started.duration(to: clock.now)
        await serve.kill()
        let answer = try? await request.value
        let answered = answer.map { (200..<300).contains($0.status) } ?? false

        let restarted = try await ServeProcess.start(database: database, worldsDirectory: worlds, in: runDirectory)
        do {
            let examination = CrashExamination(
                operation: operation, store: store, serve: restarted, database: database, worldsDirectory: worlds)
            let applied = try await examination.run(answer: answered ? answer : nil)
            await restarted.stop()
            return Run(duration: duration, killedMidOperation: !answered, applied: applied)
        } catch {
            await restarted.kill()
            throw error
        }
    }
}

/// SplitMix64: kill moments drawn from a seed the test prints, so a failing run replays.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
