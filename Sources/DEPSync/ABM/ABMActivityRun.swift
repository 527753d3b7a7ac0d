public import DEPWire
import Foundation

/// What an activity did with each device asked for, in the order asked.
public struct ABMActivityReport: Sendable, Hashable {
    public var activityID: String
    /// `COMPLETED`, `FAILED` or `STOPPED`.
    public var status: String
    public var subStatus: String?
    /// One row per serial asked for: the log's, or a `FAILED` one saying the log had none.
    public var rows: [ActivityLogRow]

    /// The rows of devices that did not come out as asked.
    public var failures: [ActivityLogRow] { rows.filter { !$0.succeeded } }
}

/// Runs one device activity to its end (peers §5.5): `POST /v1/orgDeviceActivities`, then
/// `GET` it until it is `COMPLETED`, `FAILED` or `STOPPED` (within `maxWait`), then its CSV
/// log, the only place per-serial failures show (an unknown serial among them).
struct ABMActivityRun {
    let client: ABMClient
    /// Waits the given seconds between polls (injectable so tests need not wait).
    let sleep: @Sendable (Double) async throws -> Void

    /// The statuses an activity ends in.
    static let finalStatuses: Set<String> = ["COMPLETED", "FAILED", "STOPPED"]
    /// The wait between polls: fakedep completes an activity after two seconds.
    static let pollInterval: Double = 1

    /// Does `type` to `serials` with the server named `serverName`.
    func run(_ type: OrgDeviceActivityType, serials: [String], serverName: String, maxWait: Double) async throws
        -> ABMActivityReport
    {
        let server = try await resolve(serverName)
        var activity = try await client.createActivity(
            OrgDeviceActivityCreateRequest(type, serials: serials, server: server))
        var waited: Double = 0
        while !Self.finalStatuses.contains(activity.attributes?.status ?? "") {
            guard waited < maxWait else {
                throw AgentError.abmActivityUnfinished(
                    id: activity.id, status: activity.attributes?.status ?? "unknown", waited: waited)
            }
            let pause = min(Self.pollInterval, maxWait - waited)
            try await sleep(pause)
            waited += pause
            activity = try await client.activity(activity.id)
        }
        let status = activity.attributes?.status ?? ""
        var logged: [ActivityLogRow] = []
        if let downloadURL = activity.attributes?.downloadUrl { logged = try await client.activityLog(downloadURL) }
        var bySerial: [String: ActivityLogRow] = [:]
        for row in logged { bySerial[row.serial.uppercased()] = row }
        let rows = serials.map { serial in
            bySerial[serial.uppercased()]
                ?? ActivityLogRow(
                    serial: serial, result: ActivityLogRow.failed,
                    detail: "the activity ended \(status) without a log line for this device")
        }
        return ABMActivityReport(
            activityID: activity.id, status: status, subStatus: activity.attributes?.subStatus, rows: rows)
    }

    /// The id of the server named `name`: exactly, else the one whose name matches it ignoring case.
    private func resolve(_ name: String) async throws -> String {
        let servers = try await client.servers()
        let names = servers.map { ($0.id, $0.attributes?.serverName ?? "") }
        if let exact = names.first(where: { $0.1 == name }) { return exact.0 }
        let folded = names.filter { $0.1.caseInsensitiveCompare(name) == .orderedSame }
        if folded.count == 1 { return folded[0].0 }
        throw AgentError.abmUnknownServer(name: name, known: names.map(\.1).sorted())
    }
}
