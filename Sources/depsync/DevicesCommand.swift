import ArgumentParser
import DEPSync
import DEPWire
import Foundation

/// `depsync devices`: the stored devices, as a table, JSON or CSV, streamed page by page. The
/// table and CSV show control characters escaped (a name must not drive the terminal); JSON is
/// exact, and escapes them itself.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: "List the synced devices.",
        discussion: "Statuses: \(DeviceStatusFilter.names.joined(separator: ", ")).")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print a JSON array of Apple's fields plus the derived status (the exact values).") var json = false
    @Flag(help: "Print CSV (control characters escaped).") var csv = false
    @Option(help: "Only devices with this enrollment status or profile state.") var status: String?

    func validate() throws {
        if json, csv { throw ValidationError("Give --json or --csv, not both.") }
        if let status, DeviceStatusFilter(status) == nil {
            throw ValidationError(
                "Unknown status \"\(status)\"; use one of: \(DeviceStatusFilter.names.joined(separator: ", ")).")
        }
    }

    func run() async throws {
        let agent = try global.agent()
        let filter = status.flatMap(DeviceStatusFilter.init)
        let devices = agent.store.allDevices(status: filter)
        let output = BufferedOutput()
        var count = 0
        if json {
            output.write("[")
            for try await device in devices {
                output.write((count == 0 ? "\n" : ",\n") + (try DEPJSON.encodeString(device)))
                count += 1
            }
            output.write(count == 0 ? "]\n" : "\n]\n")
        } else if csv {
            output.write(CSVWriter.row(DeviceRow.csvHeader))
            for try await device in devices { output.write(CSVWriter.row(DeviceRow.csvFields(device))) }
        } else {
            // Two streamed passes: the columns' widths, then the rows; memory stays flat.
            var table = DeviceTable()
            for try await device in agent.store.allDevices(status: filter) {
                table.measure(DeviceRow.tableFields(device))
            }
            output.write(table.line(DeviceTable.header))
            for try await device in devices {
                output.write(table.line(DeviceRow.tableFields(device)))
                count += 1
            }
            output.write("\(count) devices\n")
        }
        output.flush()
    }
}

/// The devices table: each column as wide as its widest value, up to a maximum past which a
/// value is cut with an ellipsis, so that the columns line up whatever the service sent.
struct DeviceTable {
    static let header = ["SERIAL", "MODEL", "OS", "STATUS", "PROFILE", "PROFILE UUID", "ASSIGNED"]
    /// The widest each column grows; a model name of forty characters still fits.
    static let maximumWidths = [24, 40, 10, 14, 16, 36, 20]

    private(set) var widths = header.map(\.count)

    /// Widens the columns for `fields` (already escaped).
    mutating func measure(_ fields: [String]) {
        for (column, field) in fields.enumerated() {
            widths[column] = min(Self.maximumWidths[column], max(widths[column], field.count))
        }
    }

    /// One line of the table: each field cut or padded to its column, two spaces between.
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

/// The columns of a device listing, as printed: control characters escaped.
enum DeviceRow {
    static func tableFields(_ device: LocalDevice) -> [String] {
        let apple = device.device
        return [
            apple.serialNumber, apple.description ?? apple.model ?? "", apple.os?.rawValue ?? "",
            device.enrollmentStatus.rawValue, device.profileState.rawValue, apple.profileUUID ?? "",
            apple.deviceAssignedDate.map(DEPDate.format) ?? "",
        ].map(\.escapingControlCharacters)
    }

    static let csvHeader = [
        "serial_number", "description", "model", "os", "device_family", "color", "asset_tag", "enrollment_status",
        "profile_state", "profile_status", "profile_uuid", "profile_assign_time", "profile_push_time",
        "device_assigned_by", "device_assigned_date", "op_type", "op_date", "first_seen", "removed",
    ]

    static func csvFields(_ device: LocalDevice) -> [String] {
        let apple = device.device
        let date: (Date?) -> String = { $0.map(DEPDate.format) ?? "" }
        return [
            apple.serialNumber, apple.description ?? "", apple.model ?? "", apple.os?.rawValue ?? "",
            apple.deviceFamily?.rawValue ?? "", apple.color ?? "", apple.assetTag ?? "",
            device.enrollmentStatus.rawValue, device.profileState.rawValue, apple.profileStatus?.rawValue ?? "",
            apple.profileUUID ?? "", date(apple.profileAssignTime), date(apple.profilePushTime),
            apple.deviceAssignedBy ?? "", date(apple.deviceAssignedDate), apple.opType?.rawValue ?? "",
            date(apple.opDate), date(device.firstSeen), date(device.removed),
        ].map(\.escapingControlCharacters)
    }
}

/// Standard output through one buffer: listing 100,000 devices makes few system calls.
final class BufferedOutput {
    private var buffer = Data()

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
