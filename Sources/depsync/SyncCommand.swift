import ArgumentParser
import DEPSync
import DEPWire
import Dispatch
import Foundation

/// `depsync sync`: one round, or rounds every `--interval` seconds until SIGINT or SIGTERM.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Fetch and sync the server's devices into the local store.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Run one round and exit (the default without --interval).") var once = false
    @Option(help: "Run a round every SECONDS, until SIGINT or SIGTERM.") var interval: Double?
    @Option(help: "The largest page to ask for (the service's advertised maximum otherwise).") var limit: Int?
    @Option(help: "Assign this profile to devices that arrive without one.") var autoAssign: String?
    @Flag(help: "Forget the cursor first: a full fetch that reconciles the store.") var full = false
    @OptionGroup(title: "Events") var events: EventTargetOptions
    @Option(
        help: """
            With --once (or no --interval): how long to keep retrying the events the round made before \
            exiting, in seconds; what still fails stays for the next run.
            """)
    var maxWait: Double = 30

    func validate() throws {
        if once, interval != nil { throw ValidationError("Give --once or --interval, not both.") }
        if let interval, interval <= 0 { throw ValidationError("--interval must be positive.") }
        if let limit, limit <= 0 { throw ValidationError("--limit must be positive.") }
        if maxWait < 0 { throw ValidationError("--max-wait must not be negative.") }
    }

    func run() async throws {
        let agent = try global.agent()
        if events.changesTargets {
            try await agent.setEventTargets(try events.applied(to: try agent.eventTargets()))
        } else {
            try await agent.keepEventsForRememberedTargets()
        }
        if full { try await agent.store.resetCursor() }
        let options = Syncer.Options(limit: limit, autoAssignProfile: autoAssign)
        let delivers = !(try agent.eventTargets().names.isEmpty)
        guard let interval else {
            guard delivers else {
                print(Self.summary(try await round(agent, options)))
                return
            }
            // What the round stored is delivered even when a later page failed.
            let (outcome, delivery) = try await agent.eventDeliverer().deliver(
                during: { try await round(agent, options) }, thenFor: maxWait)
            if case .success(let report) = outcome { print(Self.summary(report)) }
            print(Self.summary(delivery))
            _ = try outcome.get()
            return
        }
        let deliverer = try agent.eventDeliverer()
        let stopped = try await StopSignals.run {
            // Events are delivered on their own schedule, between rounds and during them.
            let delivery = Task {
                do {
                    try await deliverer.run(pollInterval: 1)
                } catch is CancellationError {
                } catch {
                    FileHandle.standardError.write(Data("depsync: event delivery: \(error)\n".utf8))
                }
            }
            defer { delivery.cancel() }
            while !Task.isCancelled {
                do {
                    print(Self.summary(try await round(agent, options)))
                } catch is CancellationError {
                    return
                } catch {
                    // A daemon keeps going: the next round may succeed (the cursor is intact).
                    FileHandle.standardError.write(Data("depsync: \(error)\n".utf8))
                }
                try? await Task.sleep(for: .seconds(interval))
            }
        }
        if stopped { print("Stopped.") }
    }

    private func round(_ agent: Agent, _ options: Syncer.Options) async throws -> SyncReport {
        defer { Terminal.endProgress() }
        return try await agent.sync(options) { progress in
            Terminal.progress(
                "\(progress.phase == .fetch ? "fetch" : "sync"): \(progress.devicesReceived) devices, "
                    + "\(Int(progress.rate)) devices/s")
        }
    }

    static func summary(_ report: DeliveryReport) -> String {
        var line = "Events: \(report.delivered) delivered"
        if report.deadLettered > 0 {
            line += ", \(report.deadLettered) moved to the dead letters (`depsync events --failed`)"
        }
        if report.remaining > 0 { line += ", \(report.remaining) still failing, kept for the next run" }
        return line + "."
    }

    static func summary(_ report: SyncReport) -> String {
        var line = report.fullFetch ? "Full fetch" : "Sync"
        line += ": \(report.devicesReceived) received in \(report.pages) pages; "
        line += "\(report.changes.added) added, \(report.changes.modified) modified, \(report.changes.removed) removed"
        if report.changes.stale > 0 { line += ", \(report.changes.stale) stale ignored" }
        if report.cursorResets > 0 { line += "; the cursor was refused and a full fetch reconciled the store" }
        if report.echoedCursor { line += "; the service echoed its cursor, the round ended early" }
        if report.stalled { line += "; the service kept sending pages with nothing new, the round ended early" }
        if report.skippedDevices > 0 {
            line += "; \(report.skippedDevices) devices skipped (serials with control characters)"
        }
        if let assignment = report.autoAssignment, !assignment.results.isEmpty {
            line += "; auto-assigned \(assignment.count(.success)) of \(assignment.results.count)"
        }
        return line + "."
    }
}

/// Runs work until it ends or SIGINT/SIGTERM arrives; a signal cancels it, and the work stops
/// between pages (a page and its cursor are one transaction, so nothing is half-stored).
enum StopSignals {
    /// Returns whether a signal stopped the work.
    static func run(_ work: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        let task = Task { try await work() }
        let signalled = SignalFlag()
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                signalled.set()
                task.cancel()
            }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }
        try await task.value
        return signalled.isSet
    }
}

/// A flag set from a signal handler's queue and read afterwards.
final class SignalFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
