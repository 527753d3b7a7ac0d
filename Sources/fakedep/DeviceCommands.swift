import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `fakedep device …`: act as a device of the organisation (the device side, dep-api §7).
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Act as a device of the organisation: power it on and fetch its activation record.",
        subcommands: [Boot.self, ReleaseProvisionalCommand.self])

    struct Boot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Power a device on: fetch its activation record (its DEP profile as a cloud configuration).",
            discussion: """
                A device with a profile receives it and becomes `pushed` (its MDM server's next sync shows \
                a `modified` event); any other device sets up as a personal device and nothing changes.
                """)
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The device's serial number.") var serial: String
        @Flag(help: "Print the record as an XML property list, as the device stores it (default: JSON).")
        var plist = false

        func run() async throws {
            switch try await fetchActivationRecord() {
            case .managed(let record, let profileUUID, let pushTime):
                print(record)
                print("\(serial.uppercased()) is now pushed: profile \(profileUUID), profile_push_time \(pushTime).")
            case .unmanaged(let reason, let message):
                print("\(serial.uppercased()) gets no remote management (\(reason)): \(message)")
            }
        }

        /// What `POST /device/boot/{serial}` answered.
        enum Answer {
            /// The record as text, ready to print, and what the fetch did to the device.
            case managed(record: String, profileUUID: String, pushTime: String)
            case unmanaged(reason: String, message: String)
        }

        /// Boots the device on the server; the record comes back in the format asked for.
        func fetchActivationRecord() async throws -> Answer {
            let path = "/device/boot/\(PortalClient.escape(serial))?format=\(plist ? "plist" : "json")"
            let (data, response) = try await portal.client.send("POST", path)
            guard let profileUUID = response.value(forHTTPHeaderField: "X-FakeDEP-Profile-UUID") else {
                let answer = try JSONDecoder().decode(Unmanaged.self, from: data)
                return .unmanaged(reason: answer.reason, message: answer.message)
            }
            let pushTime = response.value(forHTTPHeaderField: "X-FakeDEP-Profile-Push-Time") ?? "unknown"
            return .managed(record: try Self.readable(data, plist: plist), profileUUID: profileUUID, pushTime: pushTime)
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
