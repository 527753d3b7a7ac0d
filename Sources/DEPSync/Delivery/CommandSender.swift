import Foundation

/// Runs a command for each event, the event's JSON on its standard input: exit 0 delivers,
/// `CommandTarget.temporaryFailure` (75) asks for a later try, any other status (or running past
/// the timeout) is a refusal.
public struct CommandSender: EventSender {
    public let target = EventTargetName.exec
    let command: CommandTarget

    public init(_ command: CommandTarget) {
        self.command = command
    }

    public func send(_ event: OutboxEvent) async -> DeliveryOutcome {
        do {
            let status = try await CommandRun.run(
                command.command, input: event.body, timeout: command.timeout,
                environment: ["DEPSYNC_EVENT_ID": event.eventID, "DEPSYNC_EVENT_TOPIC": event.topic])
            switch status {
            case .exited(0): return .delivered
            case .exited(CommandTarget.temporaryFailure):
                return .failed(
                    reason: "the command asked to try again later (exit 75)", refused: false, retryAfter: nil)
            case .exited(let code): return .failed(reason: "the command exited \(code)", refused: true, retryAfter: nil)
            case .signalled(let signal):
                return .failed(reason: "the command was ended by signal \(signal)", refused: true, retryAfter: nil)
            case .timedOut:
                return .failed(
                    reason: "the command ran longer than \(command.timeout) s and was killed", refused: true,
                    retryAfter: nil)
            }
        } catch {
            return .failed(reason: "the command could not be started: \(error)", refused: true, retryAfter: nil)
        }
    }
}
