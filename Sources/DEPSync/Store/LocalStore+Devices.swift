import DEPWire
public import Foundation
import GRDB

/// Counts of the store's devices by enrollment status and by profile state.
public struct DeviceCounts: Sendable, Hashable {
    public var byStatus: [EnrollmentStatus: Int] = [:]
    /// Of the devices not removed.
    public var byProfile: [ProfileState: Int] = [:]
    public var total: Int { byStatus.values.reduce(0, +) }
}

/// One entry of a device's history.
public struct DeviceEvent: Sendable, Hashable {
    /// `fetch`, `sync`, `sync-stale` (older than what was applied), `reconcile` or `assign`.
    public var source: String
    public var opType: String?
    public var opDate: Date?
    public var profileStatus: String?
    public var profileUUID: String?
    public var recorded: Date
}

extension LocalStore {
    /// Up to `limit` devices in serial order after serial `after`, matching `status` when given.
    public func devices(status: DeviceStatusFilter? = nil, after: String? = nil, limit: Int = 1000) async throws
        -> [LocalDevice]
    {
        try await read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let status { conditions.append(status.sql) }
            if let after {
                conditions.append("serial > ?")
                arguments += [after]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [limit]
            return try Row.fetchAll(
                db, sql: "SELECT \(DeviceColumns.selection) FROM devices \(filter) ORDER BY serial LIMIT ?",
                arguments: arguments
            ).map(DeviceColumns.localDevice)
        }
    }

    /// Every device matching `status`, page by page: memory stays bounded at any size.
    public func allDevices(status: DeviceStatusFilter? = nil) -> AsyncThrowingStream<LocalDevice, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var after: String?
                    repeat {
                        let page = try await devices(status: status, after: after, limit: 1000)
                        for device in page { continuation.yield(device) }
                        after = page.count == 1000 ? page.last?.serialNumber : nil
                    } while after != nil
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// One device, if the store has it.
    public func device(_ serial: String) async throws -> LocalDevice? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(DeviceColumns.selection) FROM devices WHERE serial = ?", arguments: [serial]
            ).map(DeviceColumns.localDevice)
        }
    }

    /// A device's history, oldest first.
    public func events(of serial: String) async throws -> [DeviceEvent] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT source, op_type, op_date, profile_status, profile_uuid, recorded
                    FROM device_events WHERE serial = ? ORDER BY id
                    """, arguments: [serial]
            ).map { row in
                DeviceEvent(
                    source: row[0], opType: row[1], opDate: Date(storeValue: row[2]), profileStatus: row[3],
                    profileUUID: row[4], recorded: Date(storeValue: row[5]) ?? .distantPast)
            }
        }
    }

    /// How many history entries came from `source` (`fetch`, `sync`, `reconcile`…).
    public func eventCount(source: String) async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM device_events WHERE source = ?", arguments: [source]) ?? 0
        }
    }

    /// How many devices are in each status.
    public func counts() async throws -> DeviceCounts {
        try await read { db in
            var counts = DeviceCounts()
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT removed IS NOT NULL, profile_status, count(*) FROM devices GROUP BY 1, 2")
            for row in rows {
                let status = (row[1] as String?).flatMap(ProfileStatus.init(rawValue:))
                let count: Int = row[2]
                counts.byStatus[EnrollmentStatus(profileStatus: status, isRemoved: row[0]), default: 0] += count
                if !(row[0] as Bool) { counts.byProfile[ProfileState(status), default: 0] += count }
            }
            return counts
        }
    }
}
