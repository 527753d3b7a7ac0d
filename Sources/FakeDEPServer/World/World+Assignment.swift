public import DEPWire
import Foundation
import GRDB

/// What one portal action did, line by line.
public struct AssignmentReport: Sendable {
    public var rows: [AssignmentReportRow]

    /// How many lines ended with each outcome.
    public var counts: [AssignmentOutcome: Int] {
        rows.reduce(into: [:]) { $0[$1.outcome, default: 0] += 1 }
    }
}

extension World {
    /// Assigns devices to a server by serial number (dep-api §8): each new one is `added` to its
    /// log; one moved from another server is `deleted` from that server's log first.
    public func assign(serials: [String], to reference: String) async throws -> AssignmentReport {
        try await assign(lines: Self.lines(serials), to: reference)
    }

    /// Typed-in serials as numbered lines: normalised, or `malformed` when not a serial number.
    static func lines(_ serials: [String]) -> [AssignmentCSVLine] {
        serials.enumerated().map { index, text in
            SerialNumber.normalized(text).map { AssignmentCSVLine.serial($0, line: index + 1) }
                ?? .error(.invalidSerial(text), line: index + 1)
        }
    }

    /// Assigns the lines of a CSV upload (or any list of serials) to a server.
    public func assign(lines: [AssignmentCSVLine], to reference: String) async throws -> AssignmentReport {
        let now = self.now
        return try await store.write { db in
            let server = try requireServer(reference, db)
            let batch = try AssignmentBatch(db)
            try batch.add(lines)
            try apply(batch, to: server, at: now, db)
            return AssignmentReport(rows: try batch.report())
        }
    }

    /// Assigns the devices of an order: all of them, or `count` not yet assigned to any server
    /// (in serial order; Apple's selection order is undocumented, dep-api §8).
    public func assign(order: String, count: Int? = nil, to reference: String) async throws -> AssignmentReport {
        let now = self.now
        return try await store.write { db in
            let server = try requireServer(reference, db)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM orders WHERE number = ?", arguments: [order]) == true else {
                throw PortalError(.unknownOrder, "No order numbered \"\(order)\" belongs to the organisation.")
            }
            if let count, count < 1 {
                throw PortalError(.invalidRequest, "The number of devices to assign must be at least 1.")
            }
            let serials = try String.fetchAll(
                db,
                sql: count == nil
                    ? "SELECT serial FROM devices WHERE order_number = ? AND released IS NULL ORDER BY serial"
                    : "SELECT serial FROM devices WHERE order_number = ? AND released IS NULL AND server_id IS NULL ORDER BY serial LIMIT ?",
                arguments: count == nil ? [order] : [order, count])
            let batch = try AssignmentBatch(db)
            try batch.add(serials: serials)
            try apply(batch, to: server, at: now, db)
            return AssignmentReport(rows: try batch.report())
        }
    }

    /// Takes devices off whatever server they are assigned to (a `deleted` event on its log).
    public func unassign(serials: [String]) async throws -> AssignmentReport {
        let now = self.now
        return try await store.write { db in
            let batch = try AssignmentBatch(db)
            try batch.add(Self.lines(serials))
            try batch.decideUnactionable()
            try batch.decide(.notAssigned, where: "server_id IS NULL")
            try batch.decide(.unassigned, where: "1")
            try batch.appendDeletedEvents(for: .unassigned, at: now)
            try batch.updateDevices(Self.unassignment, for: .unassigned)
            return AssignmentReport(rows: try batch.report())
        }
    }

    /// Releases devices from the organisation for good (dep-api §8): they leave any server
    /// (`deleted`) and can no longer be assigned.
    public func release(serials: [String]) async throws -> AssignmentReport {
        let now = self.now
        return try await store.write { db in try release(Self.lines(serials), at: now, db) }
    }

    /// Releases the devices of `lines` within the caller's transaction.
    func release(_ lines: [AssignmentCSVLine], at now: Int64, _ db: Database) throws -> AssignmentReport {
        let batch = try AssignmentBatch(db)
        try batch.add(lines)
        try batch.decideUnactionable()
        try batch.decide(.released, where: "1")
        // Devices released earlier have no server (no event) and keep their release time.
        try batch.appendDeletedEvents(for: .released, at: now)
        try batch.updateDevices(
            "\(Self.unassignment), released = COALESCE(released, ?)", for: .released, arguments: [now])
        return AssignmentReport(rows: try batch.report())
    }

    /// Classifies a batch against `server` and applies it: moves and new assignments.
    func apply(_ batch: AssignmentBatch, to server: MDMServerRecord, at now: Int64, _ db: Database) throws {
        try batch.decideUnactionable()
        try batch.decide(
            .alreadyAssigned, detail: "'already assigned to this server'", where: "server_id = ?", [server.id])
        try batch.decide(.moved, detail: "'moved from ' || server_name", where: "server_id IS NOT NULL")
        try batch.decide(.assigned, where: "1")
        let admin = try organisation(db).adminID
        try batch.appendDeletedEvents(for: .moved, at: now)
        try batch.updateDevices(
            """
            server_id = ?, assigned_by = ?, assigned_date = ?, profile_uuid = NULL, profile_status = 'empty',
            profile_assign_time = NULL, profile_push_time = NULL
            """, for: .moved, .assigned, arguments: [server.id, admin, now])
        try db.execute(
            sql: """
                INSERT INTO events (server_id, serial, op_type, op_date, assigned_by, assigned_date, profile_status)
                SELECT ?, serial, 'added', ?, ?, ?, 'empty' FROM batch WHERE outcome IN ('assigned', 'moved') ORDER BY line
                """,
            arguments: [server.id, now, admin, now])
    }
}
