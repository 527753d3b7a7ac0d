import DEPSync
import DEPWire
import Foundation
import Testing

/// How `DEPClient` retries transient failures under `RetryPolicy`: exponential backoff, capped
/// and jittered, never sooner than `Retry-After`, giving up after `maxAttempts` or when the
/// service asks for too long a wait; and how `Retry-After` headers are read.
@Suite struct RetryTests {
    private let account = AccountDetail(serverName: "Test MDM")
    private static let timeout = TransportError(code: 28, message: "Timeout was reached", isTransient: true)

    @Test(arguments: [
        ScriptedReply.status(500, "Internal Server Error"), .status(503), .status(429, "TOO_MANY_REQUESTS"),
        .failure(RetryTests.timeout),
    ])
    func aTransientFailureIsRetried(failure: ScriptedReply) async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue("/account", [failure, try .json(account)])

        let answer = try await scripted.client.account()

        #expect(answer == account)
        #expect(await scripted.transport.requests(to: "/account").count == 2)
        #expect(await scripted.sleeps.delays == [1])
        #expect(await scripted.client.sessionsOpened == 1)
    }

    @Test func theRetriedRequestIsTheSameRequest() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue("/devices/sync", [.status(503), try .json(emptyPage)])

        _ = try await scripted.client.syncDevices(cursor: "c9", limit: 50)

        let calls = await scripted.transport.requests(to: "/devices/sync")
        #expect(calls.count == 2)
        #expect(calls[0].body == calls[1].body)
        #expect(try calls[1].decodedBody(SyncDeviceRequest.self) == SyncDeviceRequest(cursor: "c9", limit: 50))
    }

    @Test func backoffDoublesAndGivesUpAfterMaxAttempts() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.answer("/account", always: .status(500, "Internal Server Error"))

        let error = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(error?.kind == .serverError(status: 500, retryAfter: nil))
        #expect(await scripted.transport.requests(to: "/account").count == RetryPolicy().maxAttempts)
        #expect(await scripted.sleeps.delays == [1, 2, 4, 8])
    }

    @Test func backoffIsCappedAtMaxDelay() async throws {
        var retry = RetryPolicy()
        retry.maxAttempts = 7
        retry.maxDelay = 5
        let scripted = ScriptedClient(retry: retry)
        await scripted.transport.answer("/account", always: .failure(Self.timeout))

        let error = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(error?.kind == .network(code: 28))
        #expect(await scripted.transport.requests(to: "/account").count == 7)
        #expect(await scripted.sleeps.delays == [1, 2, 4, 5, 5, 5])
    }

    @Test func backoffIsScaledByTheJitter() async throws {
        var retry = RetryPolicy()
        retry.maxAttempts = 4
        let scripted = ScriptedClient(retry: retry, jitter: 0.25)
        await scripted.transport.answer("/account", always: .status(503))

        _ = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(await scripted.sleeps.delays == [0.25, 0.5, 1])
    }

    @Test func retryAfterSecondsAreWaitedAtLeast() async throws {
        let scripted = ScriptedClient(jitter: 0)
        await scripted.transport.enqueue(
            "/account", [.status(429, "TOO_MANY_REQUESTS", headers: [("Retry-After", "7")]), try .json(account)])

        _ = try await scripted.client.account()

        let delays = await scripted.sleeps.delays
        #expect(delays.count == 1)
        #expect(delays.allSatisfy { $0 >= 7 })
    }

    @Test func retryAfterBelowTheBackoffDoesNotShortenIt() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue(
            "/account", [.status(503), .status(503), .status(503, headers: [("Retry-After", "1")]), try .json(account)])

        _ = try await scripted.client.account()

        #expect(await scripted.sleeps.delays == [1, 2, 4])
    }

    @Test func retryAfterAsAnHTTPDateIsWaitedUntil() async throws {
        let scripted = ScriptedClient(jitter: 0)
        // 20 seconds after ScriptedClient.now.
        let date = "Sun, 15 Jun 2025 15:07:00 GMT"
        await scripted.transport.enqueue(
            "/account", [.status(503, headers: [("Retry-After", date)]), try .json(account)])

        _ = try await scripted.client.account()

        let delays = await scripted.sleeps.delays
        #expect(delays.count == 1)
        #expect(delays.allSatisfy { $0 >= 20 })
    }

    @Test func aRetryAfterLongerThanMaxRetryAfterFailsAtOnce() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.answer(
            "/account", always: .status(429, "TOO_MANY_REQUESTS", headers: [("Retry-After", "3600")]))

        let error = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(error?.kind == .throttled(retryAfter: 3600))
        #expect(await scripted.transport.requests(to: "/account").count == 1)
        #expect(await scripted.sleeps.delays.isEmpty)
    }

    @Test(arguments: [
        ScriptedReply.status(400, "MALFORMED_REQUEST_BODY"), .status(404, "NOT_FOUND"), .status(403, "ACCESS_DENIED"),
        .failure(TransportError(code: 60, message: "SSL peer certificate was not OK", isTransient: false)),
    ])
    func aFinalFailureIsNotRetried(failure: ScriptedReply) async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue("/account", [failure])
        await scripted.transport.answer("/account", always: try .json(account))

        _ = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(await scripted.transport.requests(to: "/account").count == 1)
        #expect(await scripted.sleeps.delays.isEmpty)
    }

    @Test func aSessionThatFailsTransientlyIsRetried() async throws {
        let scripted = ScriptedClient()
        await scripted.transport.enqueue("/session", [.status(503)])
        await scripted.transport.answer("/account", always: try .json(account))

        _ = try await scripted.client.account()

        #expect(await scripted.transport.paths == ["/session", "/session", "/account"])
        #expect(await scripted.sleeps.delays == [1])
        #expect(await scripted.client.sessionsOpened == 1)
    }

    @Test func neverMakesOneAttempt() async throws {
        let scripted = ScriptedClient(retry: .never)
        await scripted.transport.answer("/account", always: .status(503))

        _ = await #expect(throws: DEPClientError.self) { try await scripted.client.account() }

        #expect(await scripted.transport.requests(to: "/account").count == 1)
        #expect(RetryPolicy.never.delay(after: 1, retryAfter: nil, jitter: 1) == nil)
    }

    @Test func aCancelledWaitEndsTheCallAsCancelled() async throws {
        let transport = ScriptedTransport()
        await transport.answer("/account", always: .status(503))
        let client = DEPClient(
            tokens: ScriptedClient.tokens, transport: transport,
            options: DEPClient.Options(baseURL: ScriptedClient.baseURL), now: { ScriptedClient.now },
            sleep: { _ in throw CancellationError() }, jitter: { 1 })

        let error = await #expect(throws: DEPClientError.self) { try await client.account() }

        #expect(error?.kind == .network(code: TransportError.cancelled.code))
        #expect(await transport.requests(to: "/account").count == 1)
    }

    @Test(
        arguments: [
            ("7", 7.0), (" 7 ", 7), ("0", 0), ("120", 120), ("1.5", 1.5),
            ("Sun, 15 Jun 2025 15:07:00 GMT", 20), ("Sun, 15 Jun 2025 15:06:40 GMT", 0),
            ("Sun, 15 Jun 2025 14:00:00 GMT", 0), ("Sun, 15 Jun 2025 16:06:40 GMT", 3600),
        ] as [(String, Double)])
    func retryAfterIsReadAsSecondsOrAnHTTPDate(header: String, seconds: Double) {
        #expect(RetryPolicy.retryAfterSeconds(header, now: ScriptedClient.now) == seconds)
    }

    @Test(arguments: [
        "3601", "86400", "inf", "Infinity", "1e19", "9300000000000000000", "1e400",
        "Mon, 16 Jun 2025 15:06:40 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
    ])
    func aRetryAfterBeyondAnHourIsReadAsAnHour(header: String) {
        #expect(RetryPolicy.retryAfterSeconds(header, now: ScriptedClient.now) == RetryPolicy.longestRetryAfter)
        #expect(RetryPolicy.longestRetryAfter == 3600)
    }

    @Test(arguments: [nil, "", "   ", "soon", "-5", "-1e19", "-inf", "nan", "NaN", "15 Jun 2025"] as [String?])
    func unreadableRetryAfterIsIgnored(header: String?) {
        #expect(RetryPolicy.retryAfterSeconds(header, now: ScriptedClient.now) == nil)
    }

    @Test func theDelayNeverFallsBelowRetryAfterNorExceedsTheCeiling() {
        let policy = RetryPolicy()
        #expect(policy.delay(after: 1, retryAfter: nil, jitter: 1) == 1)
        #expect(policy.delay(after: 3, retryAfter: nil, jitter: 0.5) == 2)
        #expect(policy.delay(after: 2, retryAfter: 30, jitter: 1) == 30)
        #expect(policy.delay(after: 20, retryAfter: nil, jitter: 1) == nil)
        #expect(policy.delay(after: 1, retryAfter: policy.maxRetryAfter, jitter: 1) == policy.maxRetryAfter)
        #expect(policy.delay(after: 1, retryAfter: policy.maxRetryAfter + 1, jitter: 1) == nil)
    }

    private var emptyPage: FetchDeviceResponse {
        FetchDeviceResponse(devices: [], fetchedUntil: ScriptedClient.now, moreToFollow: false, cursor: "c10")
    }
}
