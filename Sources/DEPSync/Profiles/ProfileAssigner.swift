public import DEPWire
public import Foundation
import GRDB

/// What a profile assignment or removal answered, device by device.
public struct AssignmentSummary: Sendable, Hashable {
    /// Each device's final answer (`SUCCESS`, `NOT_ACCESSIBLE`, `FAILED`, `THROTTLED`), or for a
    /// device not sent because it rests, its earlier one; in the order the devices were given.
    public var results: [(serial: String, status: String)] = []
    /// Batches sent (each at most 1000 devices).
    public var requests = 0
    /// When a device left throttled, or resting after an earlier answer, may be sent again: the
    /// earliest such time, if there is one.
    public var retryNotBefore: Date?
    /// Devices not sent because they still rest after an earlier `FAILED` or `THROTTLED` answer.
    public var resting = 0

    public init() {}

    public func count(_ status: DeviceResultStatus) -> Int { results.count { $0.status == status.rawValue } }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.results.elementsEqual(rhs.results) { $0 == $1 } && lhs.requests == rhs.requests
            && lhs.retryNotBefore == rhs.retryNotBefore && lhs.resting == rhs.resting
    }

    public func hash(into hasher: inout Hasher) {
        for result in results { hasher.combine(result.serial + "=" + result.status) }
    }
}

/// Assigns and removes profiles within Apple's rules (dep-api §3.8, peers §4): at most 1000
/// devices a request; `NOT_ACCESSIBLE` is final; `FAILED` is not retried for 24 hours (Apple's
/// advice for repeated assignments); `THROTTLED` devices are retried after
/// `retry_after_seconds`, in this call when the wait is short, else by a later one. Either rest
/// holds for every later call, whichever devices it names.
public struct ProfileAssigner: Sendable {
    /// Apple's limit on devices per `/profile/devices` request.
    public static let batchSize = 1000
    /// How long a `FAILED` device is left alone.
    public static let failedCooldown: Double = 24 * 3600
    /// How many throttled waits one call sits out before leaving the rest to a later call.
    public static let maxThrottleWaits = 3
    /// The wait assumed when a device is `THROTTLED` without `retry_after_seconds` (before v10).
    public static let defaultThrottleWait: Double = 60

    let client: DEPClient
    let store: LocalStore
    let now: @Sendable () -> Date
    /// The longest `retry_after_seconds` waited for within one call.
    var maxWait: Double = 30
    let sleep: @Sendable (Double) async throws -> Void

    public init(
        client: DEPClient, store: LocalStore, now: @escaping @Sendable () -> Date = { Date() }, maxWait: Double = 30,
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    ) {
        self.client = client
        self.store = store
        self.now = now
        self.maxWait = maxWait
        self.sleep = sleep
    }

    /// Assigns `profile` to `serials` (duplicates dropped), batch by batch. A device still
    /// resting after a `FAILED` or `THROTTLED` answer is not sent, and keeps that answer.
    public func assign(_ profile: String, to serials: [String]) async throws -> AssignmentSummary {
        var summary = AssignmentSummary()
        var final: [String: String] = [:]
        let targets = Self.unique(serials)
        let resting = try await store.restingAssignments(among: targets, at: now())
        summary.resting = resting.count
        summary.retryNotBefore = resting.values.map(\.until).min()
        var waiting = targets.filter { resting[$0] == nil }
        var waits = 0
        while !waiting.isEmpty {
            var throttled: [String] = []
            var wait: Double = 0
            for batch in waiting.chunked(into: Self.batchSize) {
                let response: AssignProfileResponse
                do {
                    response = try await client.assignProfile(profile, to: batch)
                } catch {
                    if case .refused(let refusal) = error, refusal.status == 404 {
                        throw AgentError.unknownProfile(profile)
                    }
                    throw error
                }
                summary.requests += 1
                let date = now()
                let throttleWait = response.retryAfterSeconds.map(Double.init) ?? Self.defaultThrottleWait
                try await store.recordAssignment(
                    profile, results: response.devices, at: date, throttledUntil: date.addingTimeInterval(throttleWait))
                let throttledBefore = throttled.count
                for (serial, status) in response.devices {
                    final[serial] = status.rawValue
                    if status == .throttled { throttled.append(serial) }
                }
                if throttled.count > throttledBefore { wait = max(wait, throttleWait) }
            }
            guard !throttled.isEmpty else { break }
            let notBefore = now().addingTimeInterval(wait)
            waits += 1
            guard wait <= maxWait, waits <= Self.maxThrottleWaits else {
                summary.retryNotBefore = min(notBefore, summary.retryNotBefore ?? notBefore)
                break
            }
            try await sleep(wait)
            waiting = throttled
        }
        summary.results = targets.map { ($0, final[$0] ?? resting[$0]?.result ?? "NOT_SENT") }
        return summary
    }

    /// Assigns `profile` to the devices marked on arrival (`sync --auto-assign`) whose wait, if
    /// any, is over.
    public func assignPending(_ profile: String) async throws -> AssignmentSummary {
        let serials = try await store.pendingAutoAssignments(at: now())
        guard !serials.isEmpty else { return AssignmentSummary() }
        return try await assign(profile, to: serials)
    }

    /// Removes the profile of `serials`, batch by batch.
    public func remove(from serials: [String]) async throws -> AssignmentSummary {
        var summary = AssignmentSummary()
        var final: [String: String] = [:]
        let targets = Self.unique(serials)
        for batch in targets.chunked(into: Self.batchSize) {
            let response = try await client.removeProfile(from: batch)
            summary.requests += 1
            try await store.recordRemoval(response.devices, at: now())
            for (serial, status) in response.devices { final[serial] = status.rawValue }
        }
        summary.results = targets.map { ($0, final[$0] ?? "NOT_SENT") }
        return summary
    }

    private static func unique(_ serials: [String]) -> [String] {
        var seen = Set<String>()
        return serials.filter { seen.insert($0).inserted }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
