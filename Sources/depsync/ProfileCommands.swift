import ArgumentParser
import DEPSync
import DEPWire
import Foundation

/// `depsync profile`: define, show, assign and remove enrollment profiles.
struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Define, show, assign and remove enrollment profiles.",
        subcommands: [Define.self, Show.self, Assign.self, Remove.self, List.self])

    /// `depsync profile define FILE`.
    struct Define: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Define a profile from Apple's profile JSON or console settings, checked with Apple's rules.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Apple's profile JSON or a console settings file (ConsoleProfileSettings).") var file: String

        func run() async throws {
            let agent = try global.agent()
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let definition = try ProfileDefinition.readFile(data, path: file)
            let response = try await agent.defineProfile(definition)
            let name = (definition.profile.profileName ?? "").escapingControlCharacters
            print("Defined profile \(response.profileUUID.escapingControlCharacters) (\(name)).")
            for (serial, status) in response.devices ?? DeviceResults() {
                print("\(serial.escapingControlCharacters)  \(status.rawValue.escapingControlCharacters)")
            }
        }
    }

    /// `depsync profile show UUID`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a profile as the service has it.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The profile's UUID.") var uuid: String

        func run() async throws {
            print(try DEPJSON.encodeString(try await global.agent().profile(uuid)))
        }
    }

    /// `depsync profile assign UUID SERIAL…` or `--unassigned`.
    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign a profile to devices (batches of at most 1000).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The profile's UUID.") var uuid: String
        @Argument(help: "Serial numbers.") var serials: [String] = []
        @Flag(help: "Every synced device without a profile.") var unassigned = false
        @Option(help: "The longest THROTTLED wait (seconds) to sit out before retrying.") var maxWait: Double = 30

        func validate() throws {
            if unassigned == !serials.isEmpty {
                throw ValidationError("Name serial numbers or pass --unassigned (one of the two).")
            }
        }

        func run() async throws {
            let summary = try await global.agent().assignProfile(
                uuid, to: serials, unassigned: unassigned, maxWait: maxWait)
            try ProfileCommand.report(summary, verb: "assigned")
        }
    }

    /// `depsync profile remove SERIAL…`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the profile of devices.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Serial numbers.") var serials: [String]

        func run() async throws {
            try ProfileCommand.report(try await global.agent().removeProfile(from: serials), verb: "removed")
        }
    }

    /// `depsync profile list`: the profiles defined from this state directory.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the profiles defined here.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            for defined in try await global.agent().store.definedProfiles() {
                let name = (defined.profile.profileName ?? "").escapingControlCharacters
                print("\(defined.uuid.escapingControlCharacters)  \(name)  \(DEPDate.format(defined.defined))")
            }
        }
    }

    /// Prints each device's answer and a summary; exits non-zero when some did not succeed.
    static func report(_ summary: AssignmentSummary, verb: String) throws {
        for (serial, status) in summary.results {
            print("\(serial.escapingControlCharacters)  \(status.escapingControlCharacters)")
        }
        let succeeded = summary.count(.success)
        print("\(succeeded) of \(summary.results.count) \(verb) in \(summary.requests) requests.")
        if summary.resting > 0 {
            print("\(summary.resting) not sent: they rest after a FAILED (24 hours) or THROTTLED answer.")
        }
        if let notBefore = summary.retryNotBefore {
            print("Devices not \(verb) may be tried again after \(DEPDate.format(notBefore)).")
        }
        if succeeded < summary.results.count { throw ExitCode(2) }
    }
}
