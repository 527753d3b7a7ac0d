import DEPWire
import Foundation
import GRDB

extension LocalStore {
    /// Records the answers to an assignment of `profile`: a `SUCCESS` shows the profile as
    /// assigned at once (the service's next sync confirms it); `FAILED` devices rest 24 hours;
    /// `FAILED` and `THROTTLED` devices waiting for auto-assignment stay waiting.
    func recordAssignment(_ profile: String, results: DeviceResults<DeviceResultStatus>, at date: Date)
        async throws
    {
        try await write { db in
            let succeeded = try db.cachedStatement(
                sql: """
                    UPDATE devices SET profile_uuid = ?1, profile_status = 'assigned', profile_assign_time = ?2,
                        assign_result = 'SUCCESS', auto_assign_pending = 0, assign_not_before = NULL, updated = ?2
                    WHERE serial = ?3
                    """)
            let answered = try db.cachedStatement(
                sql: """
                    UPDATE devices SET assign_result = ?1, assign_not_before = ?2,
                        auto_assign_pending = CASE WHEN ?1 IN ('FAILED', 'THROTTLED') THEN auto_assign_pending ELSE 0 END
                    WHERE serial = ?3
                    """)
            let record = try db.cachedStatement(
                sql: """
                    INSERT INTO device_events (serial, source, op_type, profile_status, profile_uuid, recorded)
                    VALUES (?, 'assign', ?, 'assigned', ?, ?)
                    """)
            // A serial as the service answered it, `storable` so that it can match no other device.
            for (serial, status) in results.map({ ($0.serial.storable, $0.value) }) {
                switch status {
                case .success:
                    try succeeded.execute(arguments: [profile, date.storeValue, serial])
                    try record.execute(arguments: [serial, status.rawValue, profile, date.storeValue])
                case .failed:
                    try answered.execute(arguments: [
                        status.rawValue, date.addingTimeInterval(ProfileAssigner.failedCooldown).storeValue, serial,
                    ])
                default:
                    try answered.execute(arguments: [status.rawValue, nil, serial])
                }
            }
        }
    }

    /// Keeps throttled devices waiting for assignment until `date`.
    func deferAssignment(of serials: [String], until date: Date) async throws {
        try await write { db in
            let statement = try db.cachedStatement(
                sql: "UPDATE devices SET assign_not_before = ? WHERE serial = ? AND auto_assign_pending")
            for serial in serials { try statement.execute(arguments: [date.storeValue, serial]) }
        }
    }

    /// Devices marked for auto-assignment, still present, whose wait is over.
    func pendingAutoAssignments(at date: Date) async throws -> [String] {
        try await read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT serial FROM devices
                    WHERE auto_assign_pending AND removed IS NULL AND coalesce(assign_not_before, 0) <= ?
                    ORDER BY serial
                    """, arguments: [date.storeValue])
        }
    }

    /// Records the answers to a profile removal.
    func recordRemoval(_ results: DeviceResults<DeviceResultStatus>, at date: Date) async throws {
        try await write { db in
            let removed = try db.cachedStatement(
                sql: "UPDATE devices SET profile_status = 'removed', updated = ? WHERE serial = ?")
            let record = try db.cachedStatement(
                sql: """
                    INSERT INTO device_events (serial, source, op_type, profile_status, recorded)
                    VALUES (?, 'remove-profile', ?, 'removed', ?)
                    """)
            for (serial, status) in results.map({ ($0.serial.storable, $0.value) }) where status == .success {
                try removed.execute(arguments: [date.storeValue, serial])
                try record.execute(arguments: [serial, status.rawValue, date.storeValue])
            }
            try Self.retireUsers(db)
        }
    }

    /// Serials of present devices without a profile (`profile assign --unassigned`).
    public func unassignedSerials() async throws -> [String] {
        try await read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT serial FROM devices WHERE removed IS NULL
                        AND (profile_status IS NULL OR profile_status IN ('empty', 'removed'))
                    ORDER BY serial
                    """)
        }
    }
}
