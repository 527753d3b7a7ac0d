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
        while let (event, delivery) = try await store.nextEvent(for: sender.target) {
            try Task.checkCancellation()
            if let next = delivery.nextAttempt, next > now() {
                if let deadline, next > deadline {
                    report.remaining = delivery.pending
                    return
                }
                try await sleep(next.timeIntervalSince(now()))
            }
            switch await sender.send(event) {
            case .delivered:
                try await store.markDelivered(event, to: sender.target, at: now())
                report.delivered += 1
            case .failed(let reason, let refused, let retryAfter):
                report.failedTries += 1
                if refused, delivery.refusals + 1 >= policy.maxRefusals {
                    logger.error(
                        "event \(event.eventID) moved to the dead letters after \(policy.maxRefusals) refusals: \(reason)",
                        metadata: ["target": "\(sender.target.rawValue)"])
                    try await store.deadLetter(event, for: sender.target, reason: reason, at: now())
                    report.deadLettered += 1
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
