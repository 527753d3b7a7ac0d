import Foundation
import Testing

@testable import DEPSync

/// The service's time as its answers state it.
struct ServiceClockTests {
    private let local = Date(timeIntervalSince1970: 1_800_000_000)

    private func response(_ headers: [(name: String, value: String)]) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers, body: Data())
    }

    @Test func fakedepsWorldTimeComesBeforeTheDateHeader() {
        let answer = response([("Date", "Sun, 06 Nov 2044 08:49:37 GMT"), ("X-FakeDEP-Now", "2026-05-28T20:26:40Z")])
        #expect(ServiceClock.time(of: answer) == Date(timeIntervalSince1970: 1_780_000_000))
    }

    @Test func theDateHeaderIsReadAsAnHTTPDate() {
        let answer = response([("Date", "Sun, 06 Nov 1994 08:49:37 GMT")])
        #expect(ServiceClock.time(of: answer) == Date(timeIntervalSince1970: 784_111_777))
        #expect(ServiceClock.time(of: response([("Date", "yesterday")])) == nil)
    }

    @Test func betweenAnswersTheServicesClockRunsAsOursDoes() {
        var clock = ServiceClock()
        #expect(!clock.isKnown && clock.now(local: local) == local)

        clock.observe(response([("X-FakeDEP-Now", "2026-05-28T20:26:40Z")]), at: local)
        clock.observe(response([]), at: local.addingTimeInterval(5))

        #expect(clock.isKnown)
        #expect(clock.now(local: local.addingTimeInterval(90)) == Date(timeIntervalSince1970: 1_780_000_090))
    }
}
