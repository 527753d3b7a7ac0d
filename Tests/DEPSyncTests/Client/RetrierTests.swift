import DEPWire
import Foundation
import Logging
import Testing

@testable import DEPSync

/// The one retry loop of the DEP and ABM clients.
struct RetrierTests {
    private struct Flaky: RetriableError {
        var isTransient = true
        var retryAfter: Double?
        var description: String { "the service answered 503" }
        static var cancelled: Flaky { Flaky(isTransient: false) }
    }

    private actor Waits {
        var delays: [Double] = []
        func add(_ delay: Double) { delays.append(delay) }
    }

    private static func retrier(_ log: RecordedLog, waits: Waits, maxAttempts: Int = 3) -> Retrier {
        var policy = RetryPolicy()
        policy.maxAttempts = maxAttempts
        policy.maxRetryAfter = 7200
        return Retrier(
            policy: policy, now: { Date(timeIntervalSince1970: 1_780_000_000) }, sleep: { await waits.add($0) },
            jitter: { 0.5 }, logger: log.logger)
    }

    @Test func aTransientFailureIsTriedAgainAfterItsRetryAfterAndEachWaitIsLogged() async throws {
        let log = RecordedLog()
        let waits = Waits()
        var attempts = 0
        let answer = try await Self.retrier(log, waits: waits).run { () async throws(Flaky) -> String in
            attempts += 1
            if attempts < 3 { throw Flaky(retryAfter: 4) }
            return "done"
        }
        #expect(answer == "done")
        #expect(await waits.delays == [4, 4])
        #expect(log.messages(at: .info) == Array(repeating: "the service answered 503; trying again in 4 s", count: 2))
    }

    @Test func aLastingFailureIsThrownOnceThePolicyGivesUp() async throws {
        let waits = Waits()
        var attempts = 0
        await #expect(throws: Flaky.self) {
            try await Self.retrier(RecordedLog(), waits: waits).run { () async throws(Flaky) -> Void in
                attempts += 1
                throw Flaky()
            }
        }
        #expect(attempts == 3)
        #expect(await waits.delays.count == 2)
    }

    @Test(arguments: ["1e19", "inf", "Fri, 31 Dec 9999 23:59:59 GMT"])
    func anEndlessRetryAfterIsAnHourAndSaidInOneWarningForEveryClient(header: String) {
        let log = RecordedLog()
        let retryAfter = Self.retrier(log, waits: Waits()).retryAfter(
            HTTPResponse(status: 429, headers: [("Retry-After", header)], body: Data()))
        #expect(retryAfter == 3600)
        #expect(log.messages(at: .warning).count == 1)
        #expect(log.messages(at: .warning).first?.contains("3600 s") == true)
    }
}
