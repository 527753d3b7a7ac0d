import ArgumentParser
import DEPDevice
import DEPSync
import DEPWire
import Foundation

/// `fakedep device …`: act as a device of the organisation (the device side, dep-api §7).
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract:
            "Act as a device of the organisation (power it on, fetch its activation record), or change one as Apple does.",
        subcommands: [
            Boot.self, ReleaseProvisionalCommand.self, ReplaceCommand.self, MigrationDeadlineCommand.self,
            CooldownCommand.self,
        ])

    struct Boot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Power a device on: fetch its activation record (its DEP profile as a cloud configuration).",
            discussion: """
                A device with a profile receives it and becomes `pushed` (its MDM server's next sync shows \
                a `modified` event); any other device sets up as a personal device and nothing changes.

                With --enroll the device goes on as Setup Assistant does: it POSTs its MachineInfo, signed \
                with its identity, to the profile's url (or opens its configuration_web_url), trusting only \
                the profile's anchor_certs when it has any, and reports what the MDM answered. It exits \
                non-zero when it cannot enroll.
                """)
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The device's serial number.") var serial: String
        @Flag(help: "Print the record as an XML property list, as the device stores it (default: JSON).")
        var plist = false
        @Flag(help: "Go on to enroll with the profile's MDM, as Setup Assistant does.")
        var enroll = false
        @Flag(help: "With --enroll, accept a plain-HTTP MDM URL (a real device refuses one).")
        var allowHTTP = false

        func run() async throws {
            switch try await fetchActivationRecord() {
            case .managed(let record, let body, let profileUUID, let pushTime, let provisionalUntil):
                print(record)
                print("\(serial.uppercased()) is now pushed: profile \(profileUUID), profile_push_time \(pushTime).")
                if let provisionalUntil {
                    print(
                        "It was added with Apple Configurator: until \(provisionalUntil) its user may remove it from the organisation (`fakedep device release-provisional`)."
                    )
                }
                if enroll { try await enrollWithMDM(record: body) }
            case .unmanaged(let reason, let message):
                print("\(serial.uppercased()) gets no remote management (\(reason)): \(message)")
                if enroll {
                    throw PortalClient.Failure(
                        description: "\(serial.uppercased()) has no MDM to enroll with: it has no profile.")
                }
            }
        }

        /// What `POST /device/boot/{serial}` answered.
        enum Answer {
            /// The record as text, ready to print, its bytes, and what the fetch did to the device.
            case managed(record: String, body: Data, profileUUID: String, pushTime: String, provisionalUntil: String?)
            case unmanaged(reason: String, message: String)
        }

        /// Sends the device's MachineInfo to the MDM its record names and prints the answer.
        func enrollWithMDM(record body: Data) async throws {
            let configuration =
                plist
                ? try PropertyListDecoder().decode(CloudConfiguration.self, from: body)
                : try JSONDecoder().decode(CloudConfiguration.self, from: body)
            let path = "/device/machine-info/\(PortalClient.escape(serial))"
            let (info, _) = try await portal.client.send("GET", path)
            var enrollment = DeviceEnrollment(
                machineInfo: try JSONDecoder().decode(MachineInfo.self, from: info), configuration: configuration)
            enrollment.allowHTTP = allowHTTP
            let outcome: EnrollmentOutcome
            do {
                outcome = try await enrollment.run()
            } catch {
                throw PortalClient.Failure(description: error.description)
            }
            let name = serial.uppercased()
            let mdm = configuration.configurationWebURL ?? configuration.configurationURL ?? ""
            switch outcome {
            case .enrolled(let profile, let signer):
                let title = profile.displayName.map { "\"\($0)\" (\(profile.identifier))" } ?? profile.identifier
                print(
                    "\(name) enrolled with \(mdm): profile \(title), \(signer.map { "signed by \($0)" } ?? "unsigned")."
                )
                if let payload = profile.mdm {
                    print(
                        "MDM payload: server \(payload.serverURL ?? "none"), check-in \(payload.checkInURL ?? "at the server URL"), topic \(payload.topic ?? "none")."
                    )
                }
                if configuration.awaitDeviceConfigured == true {
                    print("The device waits in Setup Assistant until the MDM sends DeviceConfigured.")
                }
            case .softwareUpdateRequired(let version, let build):
                print(
                    "The MDM at \(mdm) asks \(name) to update to \(version ?? "a newer OS")\(build.map { " (\($0))" } ?? "") before it enrolls; a real device would update and ask again."
                )
            case .webSignIn(let url, let status, let contentType):
                print(
                    "\(name) shows the sign-in page at \(url) (\(status), \(contentType ?? "untyped")): a user signs in there, and the device enrolls when the same host serves the profile."
                )
            case .refused(let status, let contentType, let reason):
                throw PortalClient.Failure(
                    description:
                        "The MDM at \(mdm) did not enroll \(name): it answered \(status) (\(contentType ?? "untyped")): \(reason)."
                )
            }
        }

        /// Boots the device on the server; the record comes back in the format asked for.
        func fetchActivationRecord() async throws -> Answer {
            let path = "/device/boot/\(PortalClient.escape(serial))?format=\(plist ? "plist" : "json")"
            let (data, response) = try await portal.client.send("POST", path)
            guard let profileUUID = response.header("X-FakeDEP-Profile-UUID") else {
                let answer = try JSONDecoder().decode(Unmanaged.self, from: data)
                return .unmanaged(reason: answer.reason, message: answer.message)
            }
            let pushTime = response.header("X-FakeDEP-Profile-Push-Time") ?? "unknown"
            return .managed(
                record: try Self.readable(data, plist: plist), body: data, profileUUID: profileUUID, pushTime: pushTime,
                provisionalUntil: response.header("X-FakeDEP-Provisional-Until"))
        }

        /// The body as a person reads it: the property list as sent, JSON indented.
        static func readable(_ data: Data, plist: Bool) throws -> String {
            guard !plist else { return String(decoding: data, as: UTF8.self).trimmingSuffix("\n") }
            let object = try JSONSerialization.jsonObject(with: data)
            let pretty = try JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return String(decoding: pretty, as: UTF8.self)
        }

        /// The server's answer for a device with no remote management.
        private struct Unmanaged: Decodable {
            var reason: String
            var message: String
        }
    }
}
