import DEPWire
import Foundation
import GRDB

extension LocalStore {
    /// Records the answers to an assignment of `profile`: a `SUCCESS` shows the profile as
    /// assigned at once (the service's next sync confirms it); `FAILED` devices rest 24 hours,
    /// `THROTTLED` ones until `throttledUntil`; `FAILED` and `THROTTLED` devices waiting for
    /// auto-assignment stay waiting.
    func recordAssignment(
        _ profile: String, results: DeviceResults<DeviceResultStatus>, at date: Date, throttledUntil: Date? = nil
    ) async throws {
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
                case .throttled:
                    try answered.execute(arguments: [status.rawValue, throttledUntil?.storeValue, serial])
                default:
                    try answered.execute(arguments: [status.rawValue, nil, serial])
                }
            }
        }
    }

    /// The devices among `serials` still resting at `date` after a `FAILED` or `THROTTLED`
    /// answer, by serial: that answer, and when the rest ends.
    func restingAssignments(among serials: [String], at date: Date) async throws -> [String: AssignmentRest] {
        let wanted = Set(serials)
        let rests = try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT serial, assign_result, assign_not_before FROM devices
                    WHERE assign_not_before > ? AND assign_result IN ('FAILED', 'THROTTLED')
                    """, arguments: [date.storeValue]
            ).map { row -> (String, AssignmentRest) in
                (row[0], AssignmentRest(result: row[1], until: Date(timeIntervalSince1970: row[2])))
            }
        }
        return Dictionary(rests.filter { wanted.contains($0.0) }, uniquingKeysWith: { first, _ in first })
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

/// A device's rest after a `FAILED` or `THROTTLED` answer: no assignment sends it before `until`.
struct AssignmentRest: Sendable, Hashable {
    /// The answer it rests after.
    var result: String
    /// When the rest ends: the device may be sent from then on.
    var until: Date
}
