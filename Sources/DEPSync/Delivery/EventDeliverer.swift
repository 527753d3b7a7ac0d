public import Foundation
public import Logging

/// What one delivery run did.
public struct DeliveryReport: Sendable, Hashable {
    /// Events handed over.
    public var delivered = 0
    /// Tries that failed (each retried later, or dead).
    public var failedTries = 0
    /// Events moved to the dead letters.
    public var deadLettered = 0
    /// Events still to deliver when the run ended (their next try was past its deadline).
    public var remaining = 0

    public init(delivered: Int = 0, failedTries: Int = 0, deadLettered: Int = 0, remaining: Int = 0) {
        self.delivered = delivered
        self.failedTries = failedTries
        self.deadLettered = deadLettered
        self.remaining = remaining
    }

    public static func += (lhs: inout DeliveryReport, rhs: DeliveryReport) {
        lhs.delivered += rhs.delivered
        lhs.failedTries += rhs.failedTries
        lhs.deadLettered += rhs.deadLettered
        lhs.remaining += rhs.remaining
    }
}

/// Hands the outbox's events to each target, in order, at least once: an event leaves a
/// target's queue only once delivered, or dead after `DeliveryPolicy.maxRefusals` refusals.
/// Where each target stands is in the store, so a killed agent resumes with the same event and
/// the same id. Targets are served side by side; one that is down holds back no other.
public struct EventDeliverer: Sendable {
    let store: LocalStore
    let senders: [any EventSender]
    let policy: DeliveryPolicy
    let now: @Sendable () -> Date
    let sleep: @Sendable (Double) async throws -> Void
    let jitter: @Sendable () -> Double
    let logger: Logger

    /// A deliverer over `senders`; `now`, `sleep` and `jitter` are injectable so tests need not wait.
    public init(
        store: LocalStore, senders: [any EventSender], policy: DeliveryPolicy = DeliveryPolicy(),
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        logger: Logger = Logger(label: "depsync.events")
    ) {
        self.store = store
        self.senders = senders
        self.policy = policy
        self.now = now
        self.sleep = sleep
        self.jitter = jitter
        self.logger = logger
    }

    /// Delivers until every target's queue is empty or its next try would come after
    /// `deadline` (never, when nil: a target that is down is waited for).
    public func deliver(until deadline: Date?) async throws -> DeliveryReport {
        try await withThrowingTaskGroup(of: DeliveryReport.self) { group in
            for sender in senders {
                group.addTask { try await deliver(to: sender, until: deadline) }
            }
            var report = DeliveryReport()
            for try await part in group { report += part }
            return report
        }
    }

    /// Delivers for as long as the task runs, looking for new events every `pollInterval`
    /// seconds once a target's queue is empty (the daemon's own schedule).
    public func run(pollInterval: Double) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in senders {
                group.addTask {
                    while !Task.isCancelled {
                        _ = try await deliver(to: sender, until: nil)
                        try? await sleep(pollInterval)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Runs `work` while delivering what falls due (every `pollInterval` seconds), then delivers
    /// the rest until `deadline` after it: a round's first pages are on their way while its later
    /// ones are fetched. Returns how `work` ended and what was delivered.
    public func deliver<T: Sendable>(
        during work: () async throws -> T, thenFor maxWait: Double, pollInterval: Double = 0.2
    ) async throws -> (Result<T, any Error>, DeliveryReport) {
        let early = Task {
            var report = DeliveryReport()
            while !Task.isCancelled {
                report += try await deliver(until: now())
                try? await sleep(pollInterval)
            }
            report.remaining = 0
            return report
        }
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await work())
        } catch {
            outcome = .failure(error)
        }
        // The early delivery ends its current try before the last one starts: one try at a time.
        early.cancel()
        var report = try await early.value
        report += try await deliver(until: now().addingTimeInterval(maxWait))
        return (outcome, report)
    }

    /// Delivers `sender`'s queue in order; once cancelled, it stops after its current try and
    /// says what it did (an event sent but not yet noted as delivered is sent again later).
    private func deliver(to sender: any EventSender, until deadline: Date?) async throws -> DeliveryReport {
        var report = DeliveryReport()
        do {
            try await deliverQueue(of: sender, until: deadline, into: &report)
        } catch is CancellationError {
            // The store's calls and the backoff's sleep end this way once the task is cancelled.
        }
        return report
    }

    private func deliverQueue(of sender: any EventSender, until deadline: Date?, into report: inout DeliveryReport)
        async throws
    {
        // Sent events are noted as delivered a batch at a time, not one write each: a write waits
        // for the page being stored, which would hold delivery to one event a page. Until noted,
        // a crash sends them again, with their ids, as at-least-once allows.
        var progress = DeliveryProgress(policy: policy)
        do {
            try await deliverEvents(of: sender, until: deadline, progress: &progress, into: &report)
        } catch {
            try await note(&progress, of: sender)
            throw error
        }
        try await note(&progress, of: sender)
    }

    private func deliverEvents(
        of sender: any EventSender, until deadline: Date?, progress: inout DeliveryProgress,
        into report: inout DeliveryReport
    ) async throws {
        while let (event, delivery) = try await store.nextEvent(for: sender.target, after: progress.sentThrough) {
            try Task.checkCancellation()
            // A wait after a failure is for the event after the noted place: nothing sent since.
            let isAtNotedPlace = (progress.sentThrough ?? 0) <= delivery.deliveredThrough
            if isAtNotedPlace, let next = delivery.nextAttempt, next > now() {
                if let deadline, next > deadline {
                    report.remaining = delivery.pending
                    return
                }
                try await sleep(next.timeIntervalSince(now()))
            }
            switch await sender.send(event) {
            case .delivered:
                progress.sent(event, at: now())
                report.delivered += 1
                if progress.isDue(at: now()) { try await note(&progress, of: sender) }
            case .failed(let reason, let refused, let retryAfter):
                // Noted first, so the store's failed tries are this event's.
                try await note(&progress, of: sender)
                let delivery = try await store.delivery(of: sender.target) ?? delivery
                report.failedTries += 1
                if refused, delivery.refusals + 1 >= policy.maxRefusals {
                    logger.error(
                        "event \(event.eventID) moved to the dead letters after \(policy.maxRefusals) refusals: \(reason)",
                        metadata: ["target": "\(sender.target.rawValue)"])
                    try await store.deadLetter(event, for: sender.target, reason: reason, at: now())
                    report.deadLettered += 1
                    progress.skip(event)
                    continue
                }
                let wait = policy.delay(afterFailures: delivery.attempts + 1, retryAfter: retryAfter, jitter: jitter())
                logger.warning(
                    "event \(event.eventID) not delivered, next try in \(Int(wait.rounded(.up))) s: \(reason)",
                    metadata: ["target": "\(sender.target.rawValue)"])
                try await store.recordFailure(
                    to: sender.target, reason: reason, refused: refused, retryAt: now().addingTimeInterval(wait))
            }
        }
    }

    /// Notes the events sent since the last note as delivered, even once cancelled: they were
    /// sent, and a note lost would only send them again.
    private func note(_ progress: inout DeliveryProgress, of sender: any EventSender) async throws {
        guard let last = progress.unnoted else { return }
        let store = store
        let target = sender.target
        let at = progress.lastSentAt
        try await Task { try await store.markDelivered(last, to: target, at: at) }.value
        progress.noted(at: now())
    }

    /// Tries each dead letter of the senders' targets once more; those delivered leave the list.
    public func retryDeadLetters() async throws -> DeliveryReport {
        var report = DeliveryReport()
        for sender in senders {
            for letter in try await store.deadLetters(for: sender.target) {
                switch await sender.send(letter.event) {
                case .delivered:
                    try await store.removeDeadLetter(letter)
                    report.delivered += 1
                case .failed(let reason, _, _):
                    try await store.recordDeadLetterFailure(letter, reason: reason, at: now())
                    report.failedTries += 1
                    report.remaining += 1
                }
            }
        }
        return report
    }
}

/// Where one target's delivery stands between notes: the last event sent, and whether it is
/// noted in the store yet.
struct DeliveryProgress {
    let policy: DeliveryPolicy
    /// The sequence of the last event sent or skipped; the next batch starts after it.
    private(set) var sentThrough: Int64?
    /// The last event sent and not yet noted as delivered.
    private(set) var unnoted: OutboxEvent?
    private(set) var lastSentAt = Date.distantPast
    private var unnotedCount = 0
    private var lastNote: Date?

    init(policy: DeliveryPolicy) {
        self.policy = policy
    }

    mutating func sent(_ event: OutboxEvent, at time: Date) {
        sentThrough = event.sequence
        unnoted = event
        lastSentAt = time
        unnotedCount += 1
        if lastNote == nil { lastNote = time }
    }

    /// An event the store moved past itself (a dead letter).
    mutating func skip(_ event: OutboxEvent) {
        sentThrough = event.sequence
    }

    /// Whether enough was sent, or long enough ago, to note it now.
    func isDue(at time: Date) -> Bool {
        unnotedCount >= policy.eventsPerNote || time.timeIntervalSince(lastNote ?? time) >= policy.noteInterval
    }

    mutating func noted(at time: Date) {
        unnoted = nil
        unnotedCount = 0
        lastNote = time
    }
}
