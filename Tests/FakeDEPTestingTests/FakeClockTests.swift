import DEPCrypto
import DEPSync
import DEPWire
import FakeDEPServer
import FakeDEPTesting
import Foundation
import Testing

/// A world's business time moved in process: forward only, one world at a time, over a base
/// clock the test may move too.
struct FakeClockTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func advancingAWorldsClockMovesItsAnswersAndNoOtherWorld() async throws {
        let base = ManualTimeSource(Self.start)
        try await withFakeDEP(FakeDEP.Options(clock: base)) { fakedep in
            let world = try await fakedep.makeWorld()
            let other = try await fakedep.makeWorld()
            #expect(try world.clock.now == Self.start)

            let moved = try await world.clock.advance(by: .seconds(7 * 86_400 + 1))
            #expect(moved.now == Self.start.addingTimeInterval(7 * 86_400 + 1))
            #expect(try world.clock.now == moved.now)
            let answer = try await request("GET", world.portalURL, path: "/servers")
            #expect(answer.header("X-FakeDEP-Now") == DEPDate.format(moved.now))
            #expect(try other.clock.now == Self.start)

            // Business time runs over the base clock.
            base.advance(by: 60)
            #expect(try world.clock.now == moved.now.addingTimeInterval(60))
            #expect(try other.clock.now == Self.start.addingTimeInterval(60))
        }
    }

    @Test func aMoveAnswersWhatFellDue() async throws {
        try await withFakeDEP(FakeDEP.Options(clock: ManualTimeSource(Self.start))) { fakedep in
            let world = try await fakedep.makeWorld(seed: .empty)
            let key = try PrivateKey.generateRSA()
            let certificate = try Certificate.selfSigned(key: key, commonName: "deptokens", days: 1)
            _ = try await world.world.createServer(name: "Test MDM", certificate: try certificate.der)
            let token = try await world.world.downloadToken("Test MDM")

            let moved = try await world.clock.set(to: Self.start.addingTimeInterval(366 * 86_400))
            #expect(moved.due == [DueEvent(at: token.expiry, kind: .tokenExpired, server: "Test MDM")])
        }
    }

    @Test func aFrozenClockHoldsUntilUnfrozenAndNeverGoesBack() async throws {
        let base = ManualTimeSource(Self.start)
        try await withFakeDEP(FakeDEP.Options(clock: base)) { fakedep in
            let clock = fakedep.defaultWorld.clock
            let frozen = try await clock.freeze()
            #expect(frozen.frozen)
            base.advance(by: 30)
            #expect(try clock.now == Self.start)
            #expect(try await clock.advance(by: .seconds(5)).now == Self.start.addingTimeInterval(5))

            #expect(try await !clock.unfreeze().frozen)
            base.advance(by: 10)
            #expect(try clock.now == Self.start.addingTimeInterval(15))

            await #expect(throws: PortalError.self) { try await clock.set(to: Self.start) }
            await #expect(throws: PortalError.self) { try await clock.advance(by: .seconds(-1)) }
            #expect(try clock.now == Self.start.addingTimeInterval(15))
        }
    }
}
