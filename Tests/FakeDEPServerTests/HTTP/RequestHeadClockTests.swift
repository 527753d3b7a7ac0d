import Testing

@testable import FakeDEPServer

/// When a client owes the server a request head, without I/O.
struct RequestHeadClockTests {
    @Test func theClockRunsFromConnectingUntilTheHeadArrives() {
        var clock = RequestHeadClock()
        #expect(clock.connected() == .start)
        #expect(clock.received() == .none, "more bytes do not restart it")
        #expect(clock.timedOut() == .close)
        #expect(clock.headReceived() == .stop)
        #expect(clock.timedOut() == .none)
    }

    @Test func betweenRequestsTheClockWaitsForTheFirstByteOfTheNext() {
        var clock = RequestHeadClock()
        _ = clock.connected()
        _ = clock.headReceived()
        #expect(clock.responseSent() == .none)
        #expect(clock.timedOut() == .none, "an idle connection is the idle timeout's")
        #expect(clock.received() == .start)
        #expect(clock.received() == .none)
        #expect(clock.timedOut() == .close)
    }

    @Test func aPipelinedRequestKeepsTheClockStoppedUntilEveryResponseIsSent() {
        var clock = RequestHeadClock()
        _ = clock.connected()
        #expect(clock.headReceived() == .stop)
        #expect(clock.received() == .none)
        #expect(clock.headReceived() == .none)
        _ = clock.responseSent()
        #expect(clock.received() == .none)
        #expect(clock.timedOut() == .none)
        _ = clock.responseSent()
        #expect(clock.received() == .start)
    }
}
