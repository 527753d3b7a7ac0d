import ArgumentParser
import DEPWire
import FakeDEPServer
import Foundation

/// `fakedep assign`: assigns devices to an MDM server by serial, order number or CSV file.
struct AssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign devices to an MDM server by serial numbers, an order number or a CSV file.")
    @OptionGroup var portal: PortalOptions
    @Option(help: "The MDM server's name or uuid.") var server: String
    @Option(name: .customLong("serial"), help: "A serial number (repeat for several).") var serials: [String] = []
    @Option(help: "Assign the devices of this order.") var order: String?
    @Option(help: "With --order: only this many of its unassigned devices.") var count: Int?
    @Option(help: "A CSV file of serial numbers (first column; optional header).") var csv: String?
    @Option(help: "With --csv: write the per-line report here.") var report: String?

    func validate() throws {
        let ways = [!serials.isEmpty, order != nil, csv != nil].filter { $0 }.count
        guard ways == 1 else { throw ValidationError("Give exactly one of --serial, --order or --csv.") }
        if count != nil, order == nil { throw ValidationError("--count goes with --order.") }
    }

    func run() async throws {
        let path = "/portal/servers/\(PortalClient.escape(server))/devices"
        if let csv {
            let file = try Data(contentsOf: URL(fileURLWithPath: csv))
            let (data, _) = try await portal.client.send("POST", path + "/csv", body: file, contentType: "text/csv")
            if let report { try data.write(to: URL(fileURLWithPath: report)) }
            ReportPrinter.printCSV(data, reportPath: report)
            return
        }
        var body: [String: Any] = [:]
        if let order {
            body["order"] = order
            if let count { body["count"] = count }
        } else {
            body["serials"] = serials
        }
        ReportPrinter.print(try await portal.client.json("POST", path, body: body, as: PortalReport.self))
    }
}

/// `fakedep unassign`.
struct UnassignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unassign", abstract: "Unassign devices from whatever MDM server has them.")
    @OptionGroup var portal: PortalOptions
    @Argument(help: "Serial numbers.") var serials: [String]

    func run() async throws {
        ReportPrinter.print(
            try await portal.client.json(
                "POST", "/portal/devices/unassign", body: ["serials": serials], as: PortalReport.self))
    }
}

/// `fakedep release`.
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Release devices from the organisation for good.")
    @OptionGroup var portal: PortalOptions
    @Argument(help: "Serial numbers.") var serials: [String]

    func run() async throws {
        ReportPrinter.print(
            try await portal.client.json(
                "POST", "/portal/devices/release", body: ["serials": serials], as: PortalReport.self))
    }
}

/// Prints what an assignment did: counts by outcome, then the lines that did not simply succeed.
enum ReportPrinter {
    static func print(_ report: PortalReport) {
        Swift.print(report.counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        for line in report.lines where !["assigned", "unassigned", "released"].contains(line.outcome) {
            Swift.print(Self.line(line.line, serial: line.serial, outcome: line.outcome, detail: line.detail))
        }
    }

    static func printCSV(_ report: Data, reportPath: String?) {
        var counts: [String: Int] = [:]
        var notable: [String] = []
        for row in AssignmentReportReader.rows(in: report) {
            counts[row.outcome.rawValue, default: 0] += 1
            if row.outcome != .assigned, notable.count < 20 {
                notable.append(
                    Self.line(row.line, serial: row.serial, outcome: row.outcome.rawValue, detail: row.detail))
            }
        }
        Swift.print(counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        notable.forEach { Swift.print($0) }
        if let reportPath { Swift.print("The per-line report is in \(reportPath).") }
    }

    /// One report line for a person; echoed text is printed with control characters escaped.
    static func line(_ number: Int, serial: String, outcome: String, detail: String?) -> String {
        let detail = detail.flatMap { $0.isEmpty ? nil : " (\($0.escapingControlCharacters))" } ?? ""
        return "  line \(number) \(serial.escapingControlCharacters): \(outcome)\(detail)"
    }
}
