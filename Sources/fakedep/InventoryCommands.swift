import ArgumentParser
import DEPWire
import FakeDEPServer
import Foundation

/// `fakedep devices`: the organisation's inventory, filtered and paged.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: "List the organisation's devices.")
    @OptionGroup var portal: PortalOptions
    @Option(help: "Only devices of this MDM server (name or uuid).") var server: String?
    @Option(help: "Only devices of this order.") var order: String?
    @Option(help: "Only this family: iPhone, iPad, Mac, AppleTV, Vision.") var family: String?
    @Option(help: "Only assigned, unassigned or released devices.") var status: String?
    @Option(help: "At most this many devices (all when omitted).") var limit: Int?
    @Flag(help: "Print JSON lines instead of a table.") var json = false

    func run() async throws {
        var after: String?
        var printed = 0
        repeat {
            var query = ["limit=\(min(1000, limit.map { $0 - printed } ?? 1000))"]
            for (name, value) in [
                ("server", server), ("order", order), ("family", family), ("status", status), ("after", after),
            ] {
                if let value { query.append("\(name)=\(PortalClient.escape(value))") }
            }
            let (data, _) = try await portal.client.send("GET", "/portal/devices?" + query.joined(separator: "&"))
            let page = try DEPJSON.decode(DevicePage.self, from: data)
            for device in page.devices {
                if json {
                    print(try DEPJSON.encodeString(device))
                } else {
                    print(
                        [
                            device.serialNumber, device.family, device.model, device.orderNumber, device.status,
                            device.server ?? "-", device.profileStatus.rawValue,
                        ].map(\.escapingControlCharacters).joined(separator: "\t"))
                }
            }
            printed += page.devices.count
            after = page.next
        } while after != nil && printed < (limit ?? .max)
    }
}

/// `fakedep orders`.
struct OrdersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "orders", abstract: "List the organisation's orders.")
    @OptionGroup var portal: PortalOptions

    func run() async throws {
        let (data, _) = try await portal.client.send("GET", "/portal/orders")
        for order in try DEPJSON.decode([PortalOrder].self, from: data) {
            print(
                "\(order.number)\t\(DEPDate.formatDay(order.date))\t\(order.purchaseSource)\t\(order.deviceCount) devices"
            )
        }
    }
}

/// `fakedep seed`: adds a large, realistic, reproducible inventory.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Add generated devices in realistic orders; the same seed gives the same devices.")
    @OptionGroup var portal: PortalOptions
    @Option(help: "How many devices to add.") var devices: Int
    @Option(help: "The generator's seed.") var seed: UInt64 = 1

    func run() async throws {
        let (data, _) = try await portal.client.send(
            "POST", "/portal/seed", body: Data(#"{"devices":\#(devices),"seed":\#(seed)}"#.utf8))
        let result = try JSONDecoder().decode([String: Int].self, from: data)
        print("Added \(result["devices"] ?? 0) devices in \(result["orders"] ?? 0) orders.")
    }
}

/// `fakedep organisation`: shows the organisation, accepts or withdraws Apple's terms, and sets
/// one up in a world that has none.
struct OrganisationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "organisation", abstract: "Show, change or create the organisation.",
        subcommands: [Show.self, Create.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the organisation; --terms-signed false makes the DEP API answer T_C_NOT_SIGNED.")
        @OptionGroup var portal: PortalOptions
        @Option(help: "Whether the latest terms are accepted.") var termsSigned: Bool?

        func run() async throws {
            let (data, _) =
                if let termsSigned {
                    try await portal.client.send(
                        "PATCH", "/portal/organisation", body: Data(#"{"terms_signed":\#(termsSigned)}"#.utf8))
                } else {
                    try await portal.client.send("GET", "/portal/organisation")
                }
            print(String(decoding: data, as: UTF8.self))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set up the organisation of a fakedep started with --no-mock-data.")
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The organisation's name.") var name: String
        @Option(help: "Its contact email (default it@<name>.example).") var email: String?
        @Option(help: "Its phone number.") var phone: String?
        @Option(help: "Its postal address.") var address: String?
        @Option(help: "org (Apple Business Manager) or edu (Apple School Manager).") var type = "org"
        @Option(help: "The administrator's Apple Account (default admin@<name>.example).") var admin: String?

        func run() async throws {
            var body: [String: Any] = ["name": name, "org_type": type]
            for (key, value) in [("email", email), ("phone", phone), ("address", address), ("admin_id", admin)] {
                if let value { body[key] = value }
            }
            let details = try await portal.client.json(
                "POST", "/portal/organisation", body: body, as: OrganisationDetails.self)
            print(
                "Created \(details.name.escapingControlCharacters) (org_id \(details.orgID)); seed devices with `fakedep seed --devices N`."
            )
        }
    }
}
