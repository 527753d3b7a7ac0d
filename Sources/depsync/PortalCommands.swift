import ArgumentParser
import DEPSync
import DEPWire
import Foundation

/// `depsync portal`: the user-affinity flow a company-portal app performs.
struct PortalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portal",
        abstract: "Assign devices to users and let users identify them, as a company portal does.",
        discussion: """
            Only devices enrolled with a user-affinity profile (console settings with \
            "user_affinity": "prompt") take part; kiosk, point-of-sale and shared devices are refused. \
            A device keeps its user until its profile is removed (`depsync profile remove SERIAL`).
            """,
        subcommands: [Devices.self, AssignUser.self, Identify.self])

    /// `depsync portal devices --user UPN`.
    struct Devices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the corporate devices enrolled with user affinity and assigned to a user.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The user's principal name (UPN).") var user: String

        func run() async throws {
            let devices = try await global.agent().portalDevices(upn: user)
            if devices.isEmpty { print("No devices are assigned to \(user.escapingControlCharacters).") }
            for device in devices { print(PortalCommand.line(device)) }
        }
    }

    /// `depsync portal assign-user --user UPN --device SERIAL` (an administrator's action).
    struct AssignUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "assign-user", abstract: "Assign a device enrolled with user affinity to a user (admin).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The user's principal name (UPN).") var user: String
        @Option(help: "The device's serial number.") var device: String

        func run() async throws {
            let assigned = try await global.agent().assignUser(serial: device, upn: user)
            print(
                "Assigned \(assigned.serialNumber.escapingControlCharacters) to "
                    + "\(assigned.userPrincipalName.escapingControlCharacters).")
        }
    }

    /// `depsync portal identify --user UPN --device SERIAL --confirm LAST4`.
    struct Identify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Identify a device as the user's by the last four characters of its serial number.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The user's principal name (UPN).") var user: String
        @Option(help: "The device's serial number.") var device: String
        @Option(help: "The last four characters of the device's serial number.") var confirm: String

        func validate() throws {
            guard confirm.count == 4 else {
                throw ValidationError("--confirm takes the serial's last four characters.")
            }
        }

        func run() async throws {
            let identified = try await global.agent().identify(upn: user, serial: device, confirmLast4: confirm)
            print(
                "Identified \(identified.serialNumber.escapingControlCharacters) as "
                    + "\(identified.userPrincipalName.escapingControlCharacters)'s device.")
        }
    }

    /// One device, as `portal devices` prints it.
    static func line(_ device: UserDevice) -> String {
        let identified = device.identified.map { "identified \(DEPDate.format($0))" } ?? "not identified"
        let fields = [device.serialNumber, device.model ?? "", device.profileName ?? device.profileUUID ?? ""]
        return fields.map(\.escapingControlCharacters).joined(separator: "  ") + "  " + identified
    }
}
