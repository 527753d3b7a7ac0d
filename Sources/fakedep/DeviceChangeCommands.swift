import ArgumentParser
import DEPWire
import FakeDEPServer
import Foundation

/// `fakedep device replace`: an AppleCare replacement.
struct ReplaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replace",
        abstract: "Replace a device with a new one, as AppleCare does.",
        discussion: """
            The old device leaves its MDM server (a `deleted` event with released_by_replacement) and the \
            organisation. The new one joins the same order as the same product, with IMEI, EID and MAC \
            addresses of its own, and is assigned to the old device's server (`added`); with protocol v10 \
            it is is_replacement_device and GET /device/replacementDetails names the device it replaced.
            """)
    @OptionGroup var portal: PortalOptions
    @Argument(help: "The serial number of the device to replace.") var old: String
    @Argument(help: "The serial number of the new device.") var new: String

    func run() async throws {
        let replacement = try await portal.client.json(
            "POST", "/portal/devices/\(PortalClient.escape(old))/replace", body: ["serial": new],
            as: DeviceReplacement.self)
        let server = replacement.server.map { "assigned to \($0.escapingControlCharacters)" } ?? "on no MDM server"
        print(
            "\(replacement.serialNumber) replaces \(replacement.originalSerialNumber) (released) on "
                + "\(DEPDate.formatDay(replacement.replacementDate)), \(server).")
    }
}

/// `fakedep device migration-deadline`.
struct MigrationDeadlineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migration-deadline",
        abstract: "Set or clear the date by which a device must migrate to another MDM server.",
        discussion: """
            The device record shows it as mdm_migration_deadline from protocol v8, and its MDM server's \
            next sync has a `modified` event for it.
            """)
    @OptionGroup var portal: PortalOptions
    @Argument(help: "The device's serial number.") var serial: String
    @Argument(help: "The deadline: 2027-01-31T00:00:00Z, or a day (2027-01-31, midnight UTC).") var date: String?
    @Flag(help: "Clear the deadline.") var clear = false

    func validate() throws {
        guard (date != nil) != clear else { throw ValidationError("Give a date or --clear, not both or neither.") }
    }

    func run() async throws {
        let body: [String: Any] = ["deadline": date ?? NSNull()]
        let answer = try await portal.client.json(
            "PUT", "/portal/devices/\(PortalClient.escape(serial))/migration-deadline", body: body,
            as: MigrationDeadline.self)
        if let deadline = answer.migrationDeadline {
            print("\(answer.serialNumber) must migrate by \(DEPDate.format(deadline)).")
        } else {
            print("\(answer.serialNumber) has no migration deadline.")
        }
    }
}

/// `fakedep device cooldown`: Apple's cooldown after an assignment change.
struct CooldownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cooldown",
        abstract: "Put a device in Apple's cooldown after an assignment change, or end it.",
        discussion: """
            Until the cooldown ends (in world time), assigning the device a profile answers THROTTLED, \
            with the seconds left as retry_after_seconds from protocol v10, and fetch and sync leave the \
            device out without a `deleted` event. A cooldown is kept in memory, as fault rules are: a \
            reset or a restart ends it.
            """)
    @OptionGroup var portal: PortalOptions
    @Argument(help: "The device's serial number.") var serial: String
    @Option(name: .customLong("for"), help: "How long: an ISO 8601 duration (P1D, PT6H) or seconds (default: a day).")
    var duration: String?
    @Flag(help: "End the device's cooldown now.") var end = false

    func validate() throws {
        guard !(end && duration != nil) else { throw ValidationError("Give --for or --end, not both.") }
    }

    func run() async throws {
        let path = "/portal/devices/\(PortalClient.escape(serial))/cooldown"
        guard !end else {
            _ = try await portal.client.send("DELETE", path)
            return print("\(serial.uppercased()) is out of its cooldown.")
        }
        var body: [String: Any] = [:]
        // Seconds go as a number, anything else as the duration it should be.
        if let duration { body["for"] = Double(duration) ?? duration }
        let cooldown = try await portal.client.json("PUT", path, body: body, as: DeviceCooldown.self)
        print(
            "\(cooldown.serialNumber) is in a cooldown until \(DEPDate.format(cooldown.cooldownUntil)) "
                + "(\(cooldown.retryAfterSeconds) s): assigning it a profile answers THROTTLED, and fetch and "
                + "sync leave it out.")
    }
}
