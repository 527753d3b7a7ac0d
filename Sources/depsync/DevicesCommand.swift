import ArgumentParser
import DEPSync
import DEPWire
import Foundation

/// `depsync devices`: the stored devices, as a table, JSON or CSV, streamed page by page.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: "List the synced devices.",
        discussion: "Statuses: \(DeviceStatusFilter.names.joined(separator: ", ")).")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print a JSON array of Apple's fields plus the derived status.") var json = false
    @Flag(help: "Print CSV.") var csv = false
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
        let devices = agent.store.allDevices(status: status.flatMap(DeviceStatusFilter.init))
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
            output.write(DeviceRow.tableLine(DeviceRow.tableHeader))
            for try await device in devices {
                output.write(DeviceRow.tableLine(DeviceRow.tableFields(device)))
                count += 1
            }
            output.write("\(count) devices\n")
        }
        output.flush()
    }
}

/// The columns of a device listing.
enum DeviceRow {
    static let tableHeader = ["SERIAL", "MODEL", "OS", "STATUS", "PROFILE", "PROFILE UUID", "ASSIGNED"]
    private static let widths = [14, 28, 8, 14, 16, 34, 20]

    static func tableFields(_ device: LocalDevice) -> [String] {
        let apple = device.device
        return [
            apple.serialNumber, apple.description ?? apple.model ?? "", apple.os?.rawValue ?? "",
            device.enrollmentStatus.rawValue, device.profileState.rawValue, apple.profileUUID ?? "",
            apple.deviceAssignedDate.map(DEPDate.format) ?? "",
        ]
    }

    static func tableLine(_ fields: [String]) -> String {
        zip(fields, widths).map { field, width in
            field.count >= width ? field + " " : field + String(repeating: " ", count: width - field.count)
        }.joined().trimmingCharacters(in: .whitespaces) + "\n"
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
        ]
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
