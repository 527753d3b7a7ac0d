import DEPTestSupport
import FakeDEPServer
import Foundation
import Testing

/// A world's clock is kept with the world: a world kept in a file, or the `--db` store, reopens
/// at the time it had reached, frozen or running, rather than going back to real time.
struct WorldClockTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func aKeptWorldReopensAtTheTimeItHadReached() async throws {
        try await ScratchDirectory.with { directory in
            let base = ManualTimeSource(Self.start)
            let first = WorldRegistry(
                defaultWorld: try await World(databasePath: ":memory:", clock: base), directory: directory,
                makeClock: { base })
            let running = try await first.create(name: "running", seed: .empty)
            let frozen = try await first.create(name: "frozen", seed: .empty)
            _ = try await first.world(running.id).advanceClock(by: 86_400)
            _ = try await first.world(frozen.id).advanceClock(by: 3_600)
            _ = try await first.world(frozen.id).freezeClock()

            base.advance(by: 60)
            let second = WorldRegistry(
                defaultWorld: try await World(databasePath: ":memory:", clock: base), directory: directory,
                makeClock: { base })
            #expect(try await second.reopenKeptWorlds() == 2)
            #expect(
                try second.world(running.id).clockReading()
                    == ClockReading(now: Self.start.addingTimeInterval(86_460), offsetSeconds: 86_400, frozen: false))
            #expect(
                try second.world(frozen.id).clockReading()
                    == ClockReading(now: Self.start.addingTimeInterval(3_600), offsetSeconds: 3_540, frozen: true))
        }
    }

    @Test func theDefaultWorldsStoreKeepsItsClock() async throws {
        try await ScratchDirectory.with { directory in
            let path = directory.appendingPathComponent("fakedep.sqlite").path
            let base = ManualTimeSource(Self.start)
            _ = try await World(databasePath: path, clock: base).advanceClock(by: 604_801)
            let reopened = try await World(databasePath: path, clock: base)
            #expect(reopened.clockReading().now == Self.start.addingTimeInterval(604_801))
        }
    }
}
