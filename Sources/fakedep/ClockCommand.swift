import ArgumentParser
import DEPWire
import FakeDEPServer
import Foundation

/// `fakedep clock …`: a world's virtual clock, Apple's business time in that world (cursor age,
/// token expiry, provisional periods, every date it answers); the OAuth timestamp check stays on
/// real time.
struct ClockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clock", abstract: "Show, advance, set, freeze and unfreeze a world's virtual clock.",
        discussion: """
            The clock only moves forward. A move prints the new time and what became due on the way \
            (tokens expired, provisional periods ended), one line each.
            """,
        subcommands: [Show.self, Advance.self, SetTime.self, Freeze.self, Unfreeze.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the world's time, offset and whether it is frozen.")
        @OptionGroup var portal: PortalOptions

        func run() async throws {
            ClockCommand.print(try await portal.client.json("GET", ClockCommand.path(portal), as: ClockReading.self))
        }
    }

    struct Advance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move the world's time forward.",
            discussion: "A year counts 365 days and a month 30 in a duration.")
        @OptionGroup var portal: PortalOptions
        @Argument(help: "An ISO 8601 duration (P7DT1S, PT90M, P1Y) or a number of seconds.") var duration: String

        func run() async throws {
            let by: Any = Double(duration).flatMap { $0.isFinite ? $0 : nil } ?? duration
            ClockCommand.print(
                try await portal.client.json(
                    "POST", ClockCommand.path(portal) + "/advance", body: ["by": by], as: ClockAdvance.self))
        }
    }

    struct SetTime: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Move the world's time forward to a given time.")
        @OptionGroup var portal: PortalOptions
        @Argument(help: "An RFC 3339 date-time, such as 2027-06-01T00:00:00Z.") var time: String

        func run() async throws {
            ClockCommand.print(
                try await portal.client.json(
                    "PUT", ClockCommand.path(portal), body: ["now": time], as: ClockAdvance.self))
        }
    }

    struct Freeze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hold the world's time where it is (advance and set still move it).")
        @OptionGroup var portal: PortalOptions

        func run() async throws {
            ClockCommand.print(
                try await portal.client.json("POST", ClockCommand.path(portal) + "/freeze", as: ClockReading.self))
        }
    }

    struct Unfreeze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let the world's time run again from where it is.")
        @OptionGroup var portal: PortalOptions

        func run() async throws {
            ClockCommand.print(
                try await portal.client.json("POST", ClockCommand.path(portal) + "/unfreeze", as: ClockReading.self))
        }
    }

    /// The clock of the world `--world` names, the default world's without it.
    static func path(_ portal: PortalOptions) -> String {
        "/_fakedep/worlds/\(PortalClient.escape(portal.world ?? WorldRegistry.defaultID))/clock"
    }

    static func print(_ reading: ClockReading) {
        let offset = reading.offsetSeconds.rounded(.towardZero)
        let sign = offset < 0 ? "-" : "+"
        Swift.print(
            "\(DEPDate.format(reading.now))  offset \(sign)\(Int64(abs(offset))) s  "
                + (reading.frozen ? "frozen" : "running"))
    }

    static func print(_ advance: ClockAdvance) {
        Swift.print(DEPDate.format(advance.now))
        for event in advance.due {
            let subject = (event.server ?? event.serial ?? "").escapingControlCharacters
            Swift.print("due \(DEPDate.format(event.at))  \(event.kind.rawValue)  \(subject)")
        }
    }
}
