import DEPCrypto
import DEPWire
import Foundation
import Synchronization
import Testing

@testable import DEPSync

/// A receiver that answers each try from a script (then accepts), recording what it was sent.
final class ScriptedReceiver: EventSender {
    let target: EventTargetName
    private let state: Mutex<(script: [DeliveryOutcome], tries: [String], delivered: [String])>

    init(_ target: EventTargetName = .webhook, script: [DeliveryOutcome] = []) {
        self.target = target
        state = Mutex((script, [], []))
    }

    func send(_ event: OutboxEvent) async -> DeliveryOutcome {
        state.withLock { state in
            state.tries.append(event.eventID)
            let outcome = state.script.isEmpty ? .delivered : state.script.removeFirst()
            if outcome == .delivered { state.delivered.append(event.eventID) }
            return outcome
        }
    }

    /// The ids of every try, in order.
    var tries: [String] { state.withLock { $0.tries } }
    /// The ids of the events it took, in order.
    var delivered: [String] { state.withLock { $0.delivered } }
}

/// A receiver that takes every event and records where the store says its target stands.
final class PlaceWatchingReceiver: EventSender {
    let target = EventTargetName.webhook
    let store: LocalStore
    private let state = Mutex((received: [String](), places: [Int64]()))

    init(store: LocalStore) {
        self.store = store
    }

    func send(_ event: OutboxEvent) async -> DeliveryOutcome {
        let place = (try? await store.delivery(of: target)?.deliveredThrough) ?? -1
        state.withLock {
            $0.received.append(event.eventID)
            $0.places.append(place)
        }
        return .delivered
    }

    var received: [String] { state.withLock { $0.received } }
    var places: [Int64] { state.withLock { $0.places } }
}

/// A clock that moves only when the deliverer sleeps, recording each sleep.
final class SleepingClock: Sendable {
    private let state = Mutex((now: ScriptedClient.now, sleeps: [Double]()))

    var now: Date { state.withLock { $0.now } }
    var sleeps: [Double] { state.withLock { $0.sleeps } }

    func sleep(_ seconds: Double) {
        state.withLock { state in
            state.sleeps.append(seconds)
            state.now = state.now.addingTimeInterval(seconds)
        }
    }
}

/// The delivery loop against scripted receivers: order, retries with backoff and `Retry-After`,
/// at least once, the bound on refusals, dead letters and `--max-wait`.
@Suite struct EventDelivererTests {
    private static let busy = DeliveryOutcome.failed(
        reason: "the webhook answered 503", refused: false, retryAfter: nil)
    private static let refusal = DeliveryOutcome.failed(
        reason: "the webhook answered 400", refused: true, retryAfter: nil)

    /// A store with `pages` one-device fetch pages committed for `targets` (two events each).
    private func store(pages: Int, targets: [EventTargetName] = [.webhook]) async throws -> LocalStore {
        let store = try LocalStore(path: ":memory:")
        for target in targets { try await store.addEventTarget(target) }
        for number in 0..<pages {
            let device = Device(serialNumber: "S\(number)", model: "iPad")
            _ = try await store.commitFetchPage(
                [device], cursor: "c\(number)", generation: 1, complete: false, at: ScriptedClient.now,
                autoAssign: false,
                announcing: PageAnnouncement(
                    depName: "MDM",
                    page: FetchDeviceResponse(
                        devices: [device], fetchedUntil: ScriptedClient.now, moreToFollow: true, cursor: "c\(number)")))
        }
        return store
    }

    private func deliverer(_ store: LocalStore, _ senders: [any EventSender], clock: SleepingClock, jitter: Double = 1)
        -> EventDeliverer
    {
        EventDeliverer(
            store: store, senders: senders, now: { clock.now }, sleep: { clock.sleep($0) }, jitter: { jitter })
    }

    @Test func everyEventArrivesInOrderDespiteFailuresAndLeavesTheOutboxOnlyOnceDelivered() async throws {
        let store = try await store(pages: 2)
        let ids = try await store.events(after: 0).map(\.eventID)
        let receiver = ScriptedReceiver(script: [Self.busy, Self.busy, .delivered, Self.busy])
        let clock = SleepingClock()

        let report = try await deliverer(store, [receiver], clock: clock).deliver(until: nil)

        #expect(receiver.delivered == ids)
        #expect(receiver.tries == [ids[0], ids[0], ids[0], ids[1], ids[1], ids[2], ids[3]])
        #expect(report == DeliveryReport(delivered: 4, failedTries: 3))
        // Exponential backoff (jitter 1 takes the whole ceiling), starting over for each event.
        #expect(clock.sleeps == [1, 2, 1])
        #expect(try await store.events(after: 0).isEmpty)
        #expect(try await store.delivery(of: .webhook)?.lastDeliveredID == ids[3])
    }

    @Test func sentEventsAreNotedABatchAtATimeAndAllOfThemAtTheEnd() async throws {
        let store = try await store(pages: 5)
        let ids = try await store.events(after: 0).map(\.eventID)
        let receiver = PlaceWatchingReceiver(store: store)
        let clock = SleepingClock()
        var policy = DeliveryPolicy()
        policy.eventsPerNote = 4
        let deliverer = EventDeliverer(
            store: store, senders: [receiver], policy: policy, now: { clock.now }, sleep: { clock.sleep($0) })

        let report = try await deliverer.deliver(until: nil)

        #expect(report.delivered == 10)
        #expect(receiver.received == ids)
        // The store's place when each event was sent: a write per four events, not one each.
        let first = try #require(receiver.places.first)
        #expect(receiver.places.map { $0 - first } == [0, 0, 0, 0, 4, 4, 4, 4, 8, 8])
        #expect(try await store.events(after: 0).isEmpty)
        #expect(try await store.delivery(of: .webhook)?.lastDeliveredID == ids.last)
    }

    @Test func aRetryAfterIsWaitedForEvenWhenTheBackoffIsShorter() async throws {
        let store = try await store(pages: 1)
        let receiver = ScriptedReceiver(script: [.failed(reason: "429", refused: false, retryAfter: 30)])
        let clock = SleepingClock()

        _ = try await deliverer(store, [receiver], clock: clock, jitter: 0.1).deliver(until: nil)

        #expect(clock.sleeps == [30])
        #expect(receiver.delivered.count == 2)
    }

    @Test func aReceiverThatIsDownIsRetriedWithoutBoundNeverDeadLettered() async throws {
        let store = try await store(pages: 1)
        let receiver = ScriptedReceiver(script: Array(repeating: Self.busy, count: 12))
        let clock = SleepingClock()

        let report = try await deliverer(store, [receiver], clock: clock).deliver(until: nil)

        #expect(report.deadLettered == 0)
        #expect(receiver.delivered.count == 2)
        // The backoff's ceiling stops growing at five minutes.
        #expect(clock.sleeps.max() == 300)
        #expect(try await store.deadLetters().isEmpty)
    }

    @Test func anEventRefusedFiveTimesIsDeadAndHoldsBackNoLaterOne() async throws {
        let store = try await store(pages: 2)
        let events = try await store.events(after: 0)
        let receiver = ScriptedReceiver(script: Array(repeating: Self.refusal, count: 5))
        let clock = SleepingClock()

        let report = try await deliverer(store, [receiver], clock: clock).deliver(until: nil)

        #expect(report.deadLettered == 1)
        #expect(receiver.delivered == events.dropFirst().map(\.eventID))
        let dead = try await store.deadLetters()
        #expect(dead.map(\.event) == [events[0]])
        #expect(dead.first?.attempts == 5)
        #expect(dead.first?.lastError == "the webhook answered 400")
        #expect(try await store.delivery(of: .webhook)?.failed == 1)

        // Sent again on request, with the same id and body; once taken it leaves the list.
        let retried = try await deliverer(store, [receiver], clock: clock).retryDeadLetters()
        #expect(retried.delivered == 1)
        #expect(receiver.delivered.last == events[0].eventID)
        #expect(try await store.deadLetters().isEmpty)
    }

    @Test func aDeadLetterRefusedAgainStaysWithOneMoreTry() async throws {
        let store = try await store(pages: 1)
        let receiver = ScriptedReceiver(
            script: Array(repeating: Self.refusal, count: 5) + [.delivered, Self.refusal])
        let clock = SleepingClock()
        _ = try await deliverer(store, [receiver], clock: clock).deliver(until: nil)

        let retried = try await deliverer(store, [receiver], clock: clock).retryDeadLetters()

        #expect(retried.remaining == 1)
        #expect(try await store.deadLetters().first?.attempts == 6)
    }

    @Test func deliveryStopsAtItsDeadlineLeavingTheRestForLater() async throws {
        let store = try await store(pages: 1)
        let receiver = ScriptedReceiver(script: Array(repeating: Self.busy, count: 4))
        let clock = SleepingClock()

        let report = try await deliverer(store, [receiver], clock: clock).deliver(
            until: clock.now.addingTimeInterval(5))

        #expect(report.delivered == 0)
        #expect(report.remaining == 2)
        #expect(clock.sleeps == [1, 2])
        #expect(try await store.events(after: 0).count == 2)
        let delivery = try #require(try await store.delivery(of: .webhook))
        #expect(delivery.attempts == 3)
        #expect(delivery.lastError == "the webhook answered 503")

        // The next run resumes with the same event, whose failures it remembers.
        let next = try await deliverer(store, [receiver], clock: clock).deliver(until: nil)
        #expect(next.delivered == 2)
        #expect(clock.sleeps == [1, 2, 4, 8])
    }

    @Test func oneTargetDownHoldsBackNoOther() async throws {
        let store = try await store(pages: 1, targets: [.webhook, .exec])
        let down = ScriptedReceiver(.webhook, script: Array(repeating: Self.busy, count: 100))
        let up = ScriptedReceiver(.exec)
        let clock = SleepingClock()

        let report = try await deliverer(store, [down, up], clock: clock).deliver(
            until: clock.now.addingTimeInterval(3))

        #expect(up.delivered.count == 2)
        #expect(down.delivered.isEmpty)
        #expect(report.remaining == 2)
        #expect(try await store.events(after: 0).count == 2)
    }
}

/// A receiver whose every answer takes `delay` seconds on a thread of its own, whatever
/// happens to the task waiting for it (as libcurl's transfer does).
final class UnhurriedReceiver: EventSender {
    let target = EventTargetName.webhook
    let delay: Double
    let started = Mutex(0)

    init(delay: Double) {
        self.delay = delay
    }

    func send(_ event: OutboxEvent) async -> DeliveryOutcome {
        started.withLock { $0 += 1 }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().asyncAfter(deadline: .now() + delay) { continuation.resume() }
        }
        return .delivered
    }
}

@Suite struct DeliveryDuringWorkTests {
    /// A bug this catches: the early delivery, cancelled when the round ended with a post in
    /// flight, threw the store's CancellationError and failed the whole `sync --once`.
    @Test func workEndingMidPostStillDeliversEverythingAndThrowsNothing() async throws {
        let store = try LocalStore(path: ":memory:")
        try await store.addEventTarget(.webhook)
        let device = Device(serialNumber: "A")
        _ = try await store.commitFetchPage(
            [device], cursor: "c1", generation: 1, complete: true, at: ScriptedClient.now, autoAssign: false,
            announcing: PageAnnouncement(
                depName: "MDM",
                page: FetchDeviceResponse(
                    devices: [device], fetchedUntil: ScriptedClient.now, moreToFollow: false, cursor: "c1")))
        let receiver = UnhurriedReceiver(delay: 0.2)
        let deliverer = EventDeliverer(store: store, senders: [receiver])

        let (outcome, report) = try await deliverer.deliver(
            during: {
                while receiver.started.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
                return "round done"
            }, thenFor: 10, pollInterval: 0.01)

        #expect(try outcome.get() == "round done")
        #expect(report.delivered == 2)
        #expect(report.remaining == 0)
        #expect(try await store.events(after: 0).isEmpty)
    }
}

/// What a webhook is sent and how its answers are read.
@Suite struct WebhookSenderTests {
    private let event = OutboxEvent(
        sequence: 7, eventID: "e-1", topic: "dep.SyncDevices", createdAt: ScriptedClient.now,
        body: Data(#"{"topic":"dep.SyncDevices"}"#.utf8))

    private func outcome(_ reply: ScriptedReply, secret: String? = nil) async throws -> (
        DeliveryOutcome, RecordedRequest
    ) {
        let transport = ScriptedTransport([reply], issuingSessions: false)
        let sender = WebhookSender(
            WebhookTarget(url: "http://127.0.0.1:9/hook", secret: secret), transport: transport, userAgent: "test",
            now: { ScriptedClient.now })
        let outcome = await sender.send(event)
        return (outcome, try #require(await transport.requests.first))
    }

    @Test func theBodyIsPostedAsJSONWithItsIdTopicAndSignature() async throws {
        let (outcome, request) = try await outcome(.status(204), secret: "s3cret")

        #expect(outcome == .delivered)
        #expect(request.method == "POST")
        #expect(request.body == event.body)
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("X-DEPSync-Event-ID") == "e-1")
        #expect(request.header("X-DEPSync-Topic") == "dep.SyncDevices")
        let expected = HMACSHA256.hexAuthenticationCode(for: event.body, key: Array("s3cret".utf8))
        #expect(request.header("X-DEPSync-Signature") == "sha256=\(expected)")
    }

    @Test func withoutASecretNothingIsSigned() async throws {
        let (_, request) = try await outcome(.status(200))
        #expect(request.header("X-DEPSync-Signature") == nil)
    }

    @Test(arguments: [(503, false), (500, false), (408, false), (429, false), (400, true), (404, true), (302, true)])
    func answersOtherThan2xxFail(status: Int, refused: Bool) async throws {
        let (outcome, _) = try await outcome(.status(status, "no", headers: [("Retry-After", "12")]))
        #expect(outcome == .failed(reason: "the webhook answered \(status): no", refused: refused, retryAfter: 12))
    }

    @Test func noAnswerIsAFailureToRetryNotARefusal() async throws {
        let (outcome, _) = try await outcome(
            .failure(TransportError(code: 7, message: "Couldn't connect", isTransient: true)))
        #expect(outcome == .failed(reason: "network error 7: Couldn't connect", refused: false, retryAfter: nil))
    }
}
