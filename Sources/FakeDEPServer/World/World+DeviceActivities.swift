public import DEPWire
public import Foundation
import GRDB

/// A device activity as the ABM API asked for it (`POST /v1/orgDeviceActivities`).
public struct DeviceActivityRequest: Sendable {
    /// The activity type as sent; an unknown one is refused by name.
    public var type: String
    public var serials: [String]
    /// The ABM id of the server, for the types that need one.
    public var server: String?
    public var deadline: Date?

    public init(type: String, serials: [String], server: String?, deadline: Date?) {
        self.type = type
        self.serials = serials
        self.server = server
        self.deadline = deadline
    }
}

/// A stored activity and where it stands.
public struct DeviceActivityState: Sendable {
    public var id: String
    public var created: Date
    /// When it completed; `nil` while in progress.
    public var completed: Date?
    /// How many of its devices failed (each is in its CSV log).
    public var failures: Int

    /// The resource, without links.
    public var resource: OrgDeviceActivity {
        OrgDeviceActivity(
            id: id,
            attributes: .init(
                status: completed == nil ? "IN_PROGRESS" : "COMPLETED",
                subStatus: completed == nil
                    ? "SUBMITTED" : failures == 0 ? "COMPLETED_WITH_SUCCESS" : "COMPLETED_WITH_ERROR",
                createdDateTime: ABMDateTime(created), completedDateTime: completed.map(ABMDateTime.init)))
    }
}

extension World {
    /// How long an activity stays `IN_PROGRESS`: it is complete once this much has passed on the
    /// world's clock (moved by `/_fakedep/worlds/{id}/clock/advance`) or on the real clock,
    /// whichever comes first, so a test decides when and a client polling in real time waits
    /// about as long as Apple makes it wait.
    static let activityProcessingTime: TimeInterval = 2
    /// Apple answers only activities of the last 30 days (peers §5.3).
    static let activityRetention: Int64 = 30 * 86_400
    /// A migration deadline is at most 90 days ahead (peers §5.4).
    static let migrationDeadlineHorizon: TimeInterval = 90 * 86_400

    /// Creates an activity and makes its change at once, in one transaction, with the portal's
    /// rules (so an assigned device is `added` on the server's DEP sync); each device's outcome
    /// goes to the activity's CSV log, which is the only place a device that failed (an unknown
    /// serial, peers §7) shows. The activity then reports `IN_PROGRESS` until it completes.
    public func createActivity(_ request: DeviceActivityRequest, by access: ABMAccess) async throws
        -> DeviceActivityState
    {
        guard let type = OrgDeviceActivityType(rawValue: request.type) else {
            throw ABMError.invalidAttribute(
                "/data/attributes/activityType",
                "'\(request.type)' is not an activity type; use "
                    + OrgDeviceActivityType.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        guard !request.serials.isEmpty else {
            throw ABMError.invalidRelationship("/data/relationships/devices/data", "Name at least one device.")
        }
        if type.needsServer, request.server == nil {
            throw ABMError.invalidRelationship("/data/relationships/mdmServer", "\(type.rawValue) needs an mdmServer.")
        }
        let now = self.now
        let deadline = try type.needsDeadline ? Self.checkedDeadline(request.deadline, now: now) : nil
        let base = clock.base.now.timeIntervalSince1970
        let fault = DeviceFault.current
        let id = UUID().uuidString.lowercased()
        return try await store.write { db in
            let server = try request.server.map { reference in
                do { return try requireABMServer(reference, db) } catch {
                    throw ABMError.invalidRelationship(
                        "/data/relationships/mdmServer/data/id",
                        "No device management service has the id '\(reference)'.")
                }
            }
            let audit = try AuditLog(db, at: now, by: .apiAccount(clientID: access.clientID, name: access.accountName))
            var log = ActivityLog()
            var serials: [String] = []
            for serial in request.serials {
                if let forced = fault?.result(for: serial) {
                    log.add(serial, failed: true, "fault rule: \(forced.rawValue)")
                } else {
                    serials.append(serial)
                }
            }
            if !serials.isEmpty {
                try perform(type, serials, server: server, deadline: deadline, audit: audit, into: &log)
            }
            try db.execute(
                sql:
                    "INSERT INTO activities (id, type, created, created_base, failures, log) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, type.rawValue, now, base, log.failures, log.text])
            return DeviceActivityState(id: id, created: Date(unixSeconds: now), completed: nil, failures: log.failures)
        }
    }

    /// An activity of the last 30 days, completed once its time has come; 404 otherwise.
    public func activity(_ id: String) async throws -> DeviceActivityState {
        let now = self.now
        let base = clock.base.now.timeIntervalSince1970
        return try await store.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT created, created_base, failures FROM activities WHERE id = ?", arguments: [id]),
                now - (row[0] as Int64) <= Self.activityRetention
            else { throw ABMError.notFound("orgDeviceActivities", id) }
            let created: Int64 = row[0]
            let createdBase: Double = row[1]
            let due =
                TimeInterval(now - created) >= Self.activityProcessingTime
                || base - createdBase >= Self.activityProcessingTime
            return DeviceActivityState(
                id: id, created: Date(unixSeconds: created),
                completed: due ? Date(unixSeconds: created).addingTimeInterval(Self.activityProcessingTime) : nil,
                failures: row[2])
        }
    }

    /// The CSV log of a completed activity of the last 30 days; 404 otherwise.
    public func activityLog(_ id: String) async throws -> String {
        guard try await activity(id).completed != nil else { throw ABMError.notFound("orgDeviceActivities", id) }
        return try await store.read { db in
            try String.fetchOne(db, sql: "SELECT log FROM activities WHERE id = ?", arguments: [id]) ?? ""
        }
    }

    /// Makes the change of `type` to `serials`, logging each line.
    private func perform(
        _ type: OrgDeviceActivityType, _ serials: [String], server: MDMServerRecord?, deadline: Int64?,
        audit: AuditLog, into log: inout ActivityLog
    ) throws {
        let batch = try AssignmentBatch(audit.db)
        try batch.add(Self.lines(serials))
        switch type {
        case .assignDevices, .assignDevicesWithMigrationDeadline:
            guard let server else { return }
            try apply(batch, to: server, audit: audit)
            if let deadline {
                for serial in try String.fetchAll(
                    audit.db,
                    sql:
                        "SELECT serial FROM batch WHERE outcome IN ('assigned', 'moved', 'already_assigned') ORDER BY line"
                ) {
                    try setMigrationDeadline(
                        of: try Self.organisationDevice(serial, audit.db), to: deadline, at: audit.now, audit.db)
                }
            }
        case .unassignDevices: try unassign(batch, from: server, audit: audit)
        case .releaseDevices: try release(batch, audit: audit)
        case .updateMigrationDeadline, .cancelMigration:
            try batch.decideUnactionable()
            for serial in try String.fetchAll(
                audit.db, sql: "SELECT serial FROM batch WHERE outcome IS NULL ORDER BY line")
            {
                try setMigrationDeadline(
                    of: try Self.organisationDevice(serial, audit.db), to: deadline, at: audit.now, audit.db)
            }
            try batch.decide(
                .alreadyAssigned, detail: "?", where: "1", [deadline == nil ? "migration cancelled" : "deadline set"])
        }
        for row in try batch.report() {
            let failed: Bool
            switch row.outcome {
            case .unknownSerial, .malformed: failed = true
            case .released: failed = type != .releaseDevices || !row.detail.isEmpty
            case .notAssigned: failed = !row.detail.isEmpty
            default: failed = false
            }
            let outcome =
                type.needsDeadline || type == .cancelMigration
                ? (row.outcome == .alreadyAssigned ? "" : row.outcome.rawValue) : row.outcome.rawValue
            log.add(row.serial, failed: failed, [outcome, row.detail].filter { !$0.isEmpty }.joined(separator: ": "))
        }
    }

    /// The deadline of a migration activity: required, ahead of now, at most 90 days ahead.
    private static func checkedDeadline(_ deadline: Date?, now: Int64) throws -> Int64 {
        let pointer = "/data/attributes/activityTypeMetadata/mdmMigrationDeadlineDateTime"
        guard let deadline else { throw ABMError.invalidAttribute(pointer, "This activity needs a deadline.") }
        let seconds = deadline.unixSeconds
        guard seconds > now, deadline.timeIntervalSince(Date(unixSeconds: now)) <= migrationDeadlineHorizon else {
            throw ABMError.invalidAttribute(
                pointer, "The migration deadline must be in the future and at most 90 days ahead.")
        }
        return seconds
    }
}

/// An activity's CSV log: `serial_number,result,detail`, one line per device, `SUCCESS` or
/// `FAILED` with what happened (the portal's outcome words). User text is formula-guarded.
struct ActivityLog {
    private(set) var text = CSVWriter.row(["serial_number", "result", "detail"])
    private(set) var failures = 0

    mutating func add(_ serial: String, failed: Bool, _ detail: String) {
        if failed { failures += 1 }
        text += CSVWriter.row([
            FormulaGuard.guarded(serial), failed ? "FAILED" : "SUCCESS", FormulaGuard.guarded(detail),
        ])
    }
}
