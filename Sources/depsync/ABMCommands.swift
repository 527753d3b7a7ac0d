import ArgumentParser
import DEPSync
import DEPWire
import Foundation

/// `depsync abm`: the organisation's devices and MDM servers through Apple's Business/School
/// Manager API, as one API account.
struct ABMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abm",
        abstract: "Read the organisation's devices and servers, and assign devices, through the ABM API.",
        discussion: """
            Start with `depsync abm login` and an API account's client id, key id and private key \
            (from the portal). The client assertion and the access token are kept in the state \
            directory and renewed before they expire; a 401 mints a new token and replays the request once.
            """,
        subcommands: [Login.self, Devices.self, Servers.self, Assign.self, Unassign.self])

    /// `depsync abm login --client-id ID --key-id KID --key-file PEM [--url BASE]`.
    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Keep an API account's credentials and prove them by minting an access token.",
            discussion: """
                The service (Business or School) and the scope come from the client id's prefix. \
                fakedep serves the School API only on a host starting `api-school.`, so against a \
                plain loopback URL only a BUSINESSAPI. account works.
                """)
        @OptionGroup var abm: ABMOptions
        @Option(help: "The API account's client id (BUSINESSAPI.… or SCHOOLAPI.…).") var clientID: String
        @Option(help: "The API account's key id.") var keyID: String
        @Option(help: "The private key file the portal handed out (PEM).") var keyFile: String

        func run() async throws {
            let agent = try abm.agent()
            guard let pem = FileManager.default.contents(atPath: keyFile) else {
                throw ValidationError("\(keyFile) cannot be read.")
            }
            let login = try await agent.abmLogin(
                clientID: clientID, keyID: keyID, keyPEM: pem, keyPath: keyFile, url: abm.url)
            let account = login.account
            print(
                "Logged in to Apple \(account.service == .business ? "Business" : "School") Manager "
                    + "(\(account.service.scope)) as \(account.clientID.escapingControlCharacters) at "
                    + "\(account.apiURL.escapingControlCharacters).")
            if let expiry = login.tokenExpiry { print("The access token expires at \(DEPDate.format(expiry)).") }
        }
    }

    /// `depsync abm devices [--refresh] [--full] [--json|--csv]`.
    struct Devices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the organisation's devices, kept in the store.",
            discussion: """
                The first run lists every device; with --refresh a later one reads the audit log \
                since the last refresh and re-reads the devices it names. --full lists every device again.
                """)
        @OptionGroup var abm: ABMOptions
        @Flag(help: "Bring the store up to date from the audit log first.") var refresh = false
        @Flag(help: "List every device again (released ones are marked).") var full = false
        @Flag(help: "Print a JSON array (Apple's attributes, exact).") var json = false
        @Flag(help: "Print CSV (control characters escaped).") var csv = false

        func validate() throws {
            if json, csv { throw ValidationError("Give --json or --csv, not both.") }
        }

        func run() async throws {
            let agent = try abm.agent()
            var report: ABMRefreshReport?
            let neverRefreshed = try await agent.store.abmLastRefresh() == nil
            if refresh || full || neverRefreshed {
                report = try await agent.abmRefreshDevices(full: full, client: try abm.client(agent))
            }
            let output = BufferedOutput()
            var count = 0
            if json { output.write("[") }
            if csv { output.write(CSVWriter.row(ABMDeviceRow.csvHeader)) }
            var table = ABMDeviceTable()
            if !json, !csv {
                try await Self.each(agent.store) { table.measure(ABMDeviceRow.tableFields($0)) }
                output.write(table.line(ABMDeviceTable.header))
            }
            try await Self.each(agent.store) { device in
                if json {
                    output.write((count == 0 ? "\n" : ",\n") + (try DEPJSON.encodeString(ABMDeviceJSON(device))))
                } else if csv {
                    output.write(CSVWriter.row(ABMDeviceRow.csvFields(device)))
                } else {
                    output.write(table.line(ABMDeviceRow.tableFields(device)))
                }
                count += 1
            }
            if json { output.write(count == 0 ? "]\n" : "\n]\n") }
            if !json, !csv { output.write("\(count) devices\n") }
            output.flush()
            if let report { FileHandle.standardError.write(Data((Self.summary(report) + "\n").utf8)) }
        }

        /// Every stored device, a thousand at a time.
        private static func each(_ store: LocalStore, _ body: (ABMLocalDevice) throws -> Void) async throws {
            var after: String?
            while true {
                let page = try await store.abmDevices(after: after)
                for device in page { try body(device) }
                guard let last = page.last else { return }
                after = last.serialNumber
            }
        }

        /// One line saying what the refresh did.
        static func summary(_ report: ABMRefreshReport) -> String {
            let how =
                report.full
                ? "Listed every device: \(report.devicesRead) read"
                : "Read \(counted(report.auditEvents, "audit event")) and re-read \(counted(report.devicesRead, "device"))"
            return "\(how); \(report.changed) new or changed, \(report.removed) removed; up to date as of "
                + "\(DEPDate.format(report.serviceTime)) (the service's time)."
        }
    }

    /// `depsync abm servers [--json]`.
    struct Servers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the organisation's MDM servers.")
        @OptionGroup var abm: ABMOptions
        @Flag(help: "Print Apple's JSON of each server.") var json = false

        func run() async throws {
            let agent = try abm.agent()
            let servers = try await agent.abmServers(client: try abm.client(agent))
            if json {
                print("[" + (try servers.map { try DEPJSON.encodeString($0) }.joined(separator: ",\n")) + "]")
                return
            }
            let rows = servers.map { server in
                [
                    server.attributes?.serverName ?? "", server.id, server.attributes?.serverType ?? "",
                    server.attributes?.deviceCount.map(String.init) ?? "",
                ].map(\.escapingControlCharacters)
            }
            let header = ["NAME", "ID", "TYPE", "DEVICES"]
            let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
            for row in [header] + rows {
                let line = zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
                    .joined(separator: "  ")
                print(line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
            }
            print(counted(servers.count, "server"))
        }
    }

    /// `depsync abm assign --server NAME SERIAL… | --csv FILE`.
    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign devices to an MDM server (an ASSIGN_DEVICES activity) and print each one's outcome.")
        @OptionGroup var change: AssignmentOptions

        func run() async throws { try await change.run(.assignDevices, verb: "assigned") }
    }

    /// `depsync abm unassign --server NAME SERIAL… | --csv FILE`.
    struct Unassign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unassign devices from an MDM server (an UNASSIGN_DEVICES activity) and print each one's outcome."
        )
        @OptionGroup var change: AssignmentOptions

        func run() async throws { try await change.run(.unassignDevices, verb: "unassigned") }
    }
}

/// What `abm assign` and `abm unassign` take, and how they report.
struct AssignmentOptions: ParsableArguments {
    @OptionGroup var abm: ABMOptions
    @Option(help: "The MDM server's name, as `depsync abm servers` lists it.") var server: String
    @Option(help: "A CSV file of serial numbers: one per line, or a serial_number column first.") var csv: String?
    @Option(help: "The longest wait, in seconds, for the activity to end.") var maxWait: Double = 60
    @Argument(help: "Serial numbers.") var serials: [String] = []

    func validate() throws {
        if csv == nil, serials.isEmpty { throw ValidationError("Name serial numbers or pass --csv FILE.") }
        if maxWait < 0 { throw ValidationError("--max-wait must not be negative.") }
    }

    /// Runs the activity and prints one line per device; exits non-zero when any failed.
    func run(_ type: OrgDeviceActivityType, verb: String) async throws {
        let agent = try abm.agent()
        var all = serials
        var unreadable = 0
        if let csv {
            guard let data = FileManager.default.contents(atPath: csv) else {
                throw ValidationError("\(csv) cannot be read.")
            }
            for line in AssignmentCSVReader.lines(in: data) {
                switch line {
                case .serial(let serial, _): all.append(serial)
                case .error(let error, let number):
                    Terminal.warn("\(csv.escapingControlCharacters) line \(number): \(error); skipped")
                    unreadable += 1
                }
            }
        }
        let report = try await agent.abmChangeAssignment(
            type, serials: all, server: server, maxWait: maxWait, client: try abm.client(agent))
        let serials = report.rows.map(\.serial.escapingControlCharacters)
        let results = report.rows.map(\.result.escapingControlCharacters)
        let serialWidth = serials.map(\.count).max() ?? 0
        let resultWidth = results.map(\.count).max() ?? 0
        for (index, row) in report.rows.enumerated() {
            let line =
                serials[index].padded(to: serialWidth) + "  " + results[index].padded(to: resultWidth) + "  "
                + row.detail.escapingControlCharacters
            print(line.trimmingCharacters(in: .whitespaces))
        }
        let failed = report.failures.count
        print(
            "Activity \(report.activityID) \(report.status)\(report.subStatus.map { " (\($0))" } ?? ""): "
                + "\(report.rows.count - failed) of \(counted(report.rows.count, "device")) \(verb); \(failed) failed.")
        if failed > 0 || unreadable > 0 { throw ExitCode.failure }
    }
}

/// The stored inventory's columns, as printed: control characters escaped.
enum ABMDeviceRow {
    static func tableFields(_ device: ABMLocalDevice) -> [String] {
        let attributes = device.attributes
        return [
            device.serialNumber, attributes.deviceModel ?? "", attributes.productFamily ?? "", device.status,
            attributes.updatedDateTime?.description ?? "",
        ].map(\.escapingControlCharacters)
    }

    static let csvHeader = [
        "serial_number", "device_model", "product_family", "product_type", "color", "device_capacity", "status",
        "order_number", "added_to_org", "updated", "released", "removed", "first_seen", "refreshed",
    ]

    static func csvFields(_ device: ABMLocalDevice) -> [String] {
        let attributes = device.attributes
        let date: (Date?) -> String = { $0.map(DEPDate.format) ?? "" }
        return [
            device.serialNumber, attributes.deviceModel ?? "", attributes.productFamily ?? "",
            attributes.productType ?? "", attributes.color ?? "", attributes.deviceCapacity ?? "", device.status,
            attributes.orderNumber ?? "", attributes.addedToOrgDateTime?.description ?? "",
            attributes.updatedDateTime?.description ?? "", date(device.released), date(device.removed),
            date(device.firstSeen), date(device.refreshed),
        ].map { FormulaGuard.guarded($0.escapingControlCharacters) }
    }
}

/// The inventory table: each column as wide as its widest value, up to a maximum.
struct ABMDeviceTable {
    static let header = ["SERIAL", "MODEL", "FAMILY", "STATUS", "UPDATED"]
    static let maximumWidths = [24, 40, 10, 12, 24]

    private(set) var widths = header.map(\.count)

    mutating func measure(_ fields: [String]) {
        for (column, field) in fields.enumerated() {
            widths[column] = min(Self.maximumWidths[column], max(widths[column], field.count))
        }
    }

    func line(_ fields: [String]) -> String {
        var line = ""
        for (field, width) in zip(fields, widths) {
            let fitted = field.count > width ? String(field.prefix(width - 1)) + "…" : field
            line += fitted + String(repeating: " ", count: width - fitted.count + 2)
        }
        while line.hasSuffix(" ") { line.removeLast() }
        return line + "\n"
    }
}

/// A stored device as `abm devices --json` prints it: Apple's attributes as read, and what
/// depsync derived.
struct ABMDeviceJSON: Encodable {
    var serialNumber: String
    var status: String
    var attributes: OrgDevice.Attributes
    var released: String?
    var removed: String?
    var firstSeen: String
    var refreshed: String

    init(_ device: ABMLocalDevice) {
        serialNumber = device.serialNumber
        status = device.status
        attributes = device.attributes
        released = device.released.map(DEPDate.format)
        removed = device.removed.map(DEPDate.format)
        firstSeen = DEPDate.format(device.firstSeen)
        refreshed = DEPDate.format(device.refreshed)
    }

    enum CodingKeys: String, CodingKey {
        case serialNumber = "serial_number", status, attributes, released, removed, firstSeen = "first_seen", refreshed
    }
}

extension String {
    /// The text followed by spaces up to `width` characters.
    fileprivate func padded(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}

/// `count` and `noun`, plural unless one: "1 server", "3 servers".
private func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
