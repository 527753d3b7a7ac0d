import ArgumentParser
import DEPWire
import FakeDEPServer
import Foundation

/// `fakedep configurator …`: Apple Configurator's part (peers §6): devices prepared over USB join
/// the organisation, and the supervision identity their profile names.
struct ConfiguratorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configurator",
        abstract: "Act as Apple Configurator: add devices to the organisation, make a supervision identity.",
        subcommands: [Add.self, Models.self, Identity.self])

    /// `fakedep configurator add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add devices prepared with Apple Configurator to the organisation.",
            discussion: """
                The devices join with purchase source MANUALLY_ADDED and are provisional: they may leave the \
                organisation by themselves (`fakedep device release-provisional`) until 30 days after they \
                enroll, which starts when they first fetch a profile (`fakedep device boot`). With --server \
                they are assigned to that MDM server at once, which sees them as `added` in its next sync.
                """)
        @OptionGroup var portal: PortalOptions
        @Argument(help: "Serial numbers.") var serials: [String]
        @Option(help: "A product type (iPhone17,3) or model name (\"iPhone 16\"); see `fakedep configurator models`.")
        var model: String
        @Option(help: "Assign the devices to this MDM server (name or uuid) at once.") var server: String?

        func run() async throws {
            var body: [String: Any] = ["serials": serials, "model": model]
            if let server { body["server"] = server }
            ConfiguratorReport.print(
                try await portal.client.json("POST", "/portal/configurator/devices", body: body, as: PortalReport.self))
        }
    }

    /// `fakedep configurator models`.
    struct Models: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the products Apple Configurator can add.")
        @OptionGroup var portal: PortalOptions

        func run() async throws {
            let (data, _) = try await portal.client.send("GET", "/portal/configurator/models")
            for model in try DEPJSON.decode([ConfiguratorModel].self, from: data) {
                print("\(model.productType)\t\(model.family)\t\(model.model)")
            }
        }
    }

    /// `fakedep configurator identity`.
    struct Identity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an organisation's supervision identity: a private key and its certificate.",
            discussion: """
                Writes <name>.key (the private key, mode 0600) and <name>.pem (the certificate) and prints \
                the certificate's base64 DER: the entry a DEP profile's supervising_host_certs takes.
                """)
        @Option(help: "The organisation the identity names.") var org: String
        @Option(help: "The directory to write the files to.") var out = "."
        @Option(help: "The files' base name (default: the organisation's name, spaces as dashes).") var name: String?

        func run() throws {
            let base = name ?? Self.fileName(org)
            let directory = URL(fileURLWithPath: out, isDirectory: true)
            let keyURL = directory.appendingPathComponent(base + ".key")
            let certificateURL = directory.appendingPathComponent(base + ".pem")
            for url in [keyURL, certificateURL] where FileManager.default.fileExists(atPath: url.path) {
                throw Failure(
                    description: "\(url.path) exists; an identity is not replaced. Remove it or choose another --name.")
            }
            let identity = try SupervisionIdentity.make(organisation: org)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            guard
                FileManager.default.createFile(
                    atPath: keyURL.path, contents: Data(identity.keyPEM.utf8), attributes: [.posixPermissions: 0o600])
            else { throw Failure(description: "Cannot write \(keyURL.path).") }
            try Data(identity.certificatePEM.utf8).write(to: certificateURL)
            print("Wrote \(keyURL.path) (private key, mode 0600) and \(certificateURL.path) (certificate).")
            print("The certificate as base64 DER, for a profile's supervising_host_certs:")
            print(identity.profileEntry)
        }

        /// `org` as a file name: letters, digits, `.`, `-` and `_` kept, anything else a dash.
        static func fileName(_ org: String) -> String {
            let kept = org.trimmingCharacters(in: .whitespaces).unicodeScalars.map { scalar -> Character in
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
                    ? Character(scalar) : "-"
            }
            return kept.isEmpty ? "supervision" : String(kept)
        }

        /// A file the command will not write, as one line.
        struct Failure: Error, CustomStringConvertible {
            let description: String
        }
    }
}

/// `fakedep device release-provisional`: the device leaves the organisation during its
/// provisional period, as its user may from Settings (peers §6).
struct ReleaseProvisionalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release-provisional",
        abstract: "Release a device added with Apple Configurator within its 30-day provisional period.")
    @OptionGroup var portal: PortalOptions
    @Argument(help: "The device's serial number.") var serial: String

    func run() async throws {
        let report = try await portal.client.json(
            "POST", "/portal/devices/\(PortalClient.escape(serial))/release-provisional", as: PortalReport.self)
        for line in report.lines {
            let detail = line.detail.map { " (\($0.escapingControlCharacters))" } ?? ""
            print("\(line.serial.escapingControlCharacters): \(line.outcome)\(detail)")
        }
    }
}

/// Prints what a Configurator add did: counts by outcome, then each line.
enum ConfiguratorReport {
    static func print(_ report: PortalReport) {
        Swift.print(report.counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        for line in report.lines {
            Swift.print(ReportPrinter.line(line.line, serial: line.serial, outcome: line.outcome, detail: line.detail))
        }
    }
}
