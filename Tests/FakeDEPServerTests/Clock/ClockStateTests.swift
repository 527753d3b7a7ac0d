import DEPWire
import Foundation
import Testing

@testable import FakeDEPServer

/// The clock's state, moved without I/O: running at an offset or frozen, forward only.
struct ClockStateTests {
    let base = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func aFrozenClockHoldsItsTimeWhileRealTimeRunsAndResumesFromThere() throws {
        var state = ClockState()
        try state.advance(by: 100, base: base)
        state.freeze(base: base)
        #expect(state.now(base: base.addingTimeInterval(3_600)) == base.addingTimeInterval(100))
        // Frozen, it still moves when told to.
        try state.advance(by: 50, base: base.addingTimeInterval(3_600))
        #expect(state.now(base: base.addingTimeInterval(7_200)) == base.addingTimeInterval(150))
        state.unfreeze(base: base.addingTimeInterval(7_200))
        #expect(state.now(base: base.addingTimeInterval(7_210)) == base.addingTimeInterval(160))
        #expect(!state.isFrozen)
    }

    @Test func aClockSetForwardRunsOnFromThatTime() throws {
        var state = ClockState()
        let target = base.addingTimeInterval(30 * 86_400)
        try state.set(to: target, base: base)
        #expect(state.now(base: base.addingTimeInterval(5)) == target.addingTimeInterval(5))
    }

    @Test func aClockNeverGoesBackAndARefusedMoveLeavesItAsItWas() throws {
        var state = ClockState()
        try state.advance(by: 10, base: base)
        let before = state
        #expect(throws: PortalError.self) { try state.set(to: base.addingTimeInterval(9), base: base) }
        #expect(throws: PortalError.self) { try state.advance(by: -1, base: base) }
        #expect(throws: PortalError.self) { try state.advance(by: .infinity, base: base) }
        #expect(throws: PortalError.self) { try state.set(to: ClockState.latest.addingTimeInterval(1), base: base) }
        #expect(state == before)
    }

    @Test func aTimeWithinTheCurrentSecondIsNotBackwardsAndKeepsTheLaterInstant() throws {
        var state = ClockState()
        let running = base.addingTimeInterval(0.75)
        try state.set(to: base, base: running)
        #expect(state.now(base: running) == running)
    }
}
