import ArgumentParser
import DEPSync
import DEPWire
import Foundation

/// `depsync events`: the events as JSON lines, each printed once (`--follow` waits for more);
/// `--failed` lists the dead letters; `events retry` sends them again.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print the events not printed yet as JSON lines; with --follow, keep printing new ones.",
        discussion: """
            The first `depsync events` starts keeping events for it; each event is printed once, and the \
            next run resumes after the last one printed. --from EVENT_ID starts after that event instead \
            (while the outbox still holds it). --unfollow stops keeping events for it.
            """,
        subcommands: [RetryEventsCommand.self])
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Keep printing new events until SIGINT or SIGTERM.") var follow = false
    @Option(help: "Start after this event id.") var from: String?
    @Flag(help: "List the dead letters: events a target refused too many times.") var failed = false
    @Flag(help: "Stop keeping events for `depsync events`.") var unfollow = false

    func validate() throws {
        if failed, follow || from != nil || unfollow {
            throw ValidationError("--failed lists the dead letters; give it alone.")
        }
        if unfollow, follow || from != nil { throw ValidationError("--unfollow takes no other flag.") }
    }

    func run() async throws {
        let agent = try global.agent()
        if unfollow {
            try await agent.unfollowEvents()
            print("No longer keeping events for `depsync events`.")
            return
        }
        if failed {
            let letters = try await agent.store.deadLetters()
            for letter in letters {
                print(
                    "\(letter.target.rawValue)  \(letter.event.eventID)  \(letter.event.topic)  "
                        + "\(DEPDate.format(letter.failedAt))  \(letter.attempts) tries  "
                        + letter.lastError.escapingControlCharacters)
            }
            print(
                "\(letters.count) dead letters" + (letters.isEmpty ? "" : "; `depsync events retry` sends them again"))
            return
        }
        let stopped = try await StopSignals.run { [from, follow] in
            try await agent.followEvents(from: from, follow: follow) { event in
                try FileHandle.standardOutput.write(contentsOf: event.body + Data("\n".utf8))
            }
        }
        _ = stopped
    }
}

/// `depsync events retry`: every dead letter sent once more to its target.
struct RetryEventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Send the dead letters again; those delivered leave the list.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let report = try await global.agent().retryDeadLetters()
        print("\(report.delivered) delivered, \(report.remaining) still failing.")
        if report.remaining > 0 { throw ExitCode(1) }
    }
}
