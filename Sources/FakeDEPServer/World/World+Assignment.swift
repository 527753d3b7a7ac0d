import DEPWire
import Foundation
import GRDB

extension World {
    /// Assigns devices to a server by serial number (dep-api §8): each new one is `added` to its
    /// log; one moved from another server is `deleted` from that server's log first.
    public func assign(serials: [String], to reference: String) async throws -> AssignmentReport {
        try await collecting { try await assign(.serials(serials), to: reference, into: $0) }
    }

    /// Assigns the lines of `input` (serials, or a CSV upload) to a server, reporting each line to
    /// `sink` within the same transaction.
    public func assign(_ input: AssignmentInput, to reference: String, into sink: some AssignmentReportSink)
        async throws
    {
        let now = self.now
        try await store.write { db in
            let server = try requireServer(reference, db)
            let batch = try AssignmentBatch(db)
            try input.forEachChunk(batch.add)
            try apply(batch, to: server, audit: try AuditLog(db, at: now, by: .administrator))
            try batch.report(into: sink)
        }
    }

    /// Typed-in serials as numbered lines: normalised, or `malformed` when not a serial number.
    static func lines(_ serials: some Collection<String>, firstLine: Int = 1) -> [AssignmentCSVLine] {
        serials.enumerated().map { index, text in
            SerialNumber.normalized(text).map { AssignmentCSVLine.serial($0, line: firstLine + index) }
                ?? .error(.invalidSerial(text), line: firstLine + index)
        }
    }

    /// Assigns the devices of an order: all of them, or `count` not yet assigned to any server
    /// (in serial order; Apple's selection order is undocumented, dep-api §8).
    public func assign(order: String, count: Int? = nil, to reference: String) async throws -> AssignmentReport {
        try await collecting { try await assign(order: order, count: count, to: reference, into: $0) }
    }

    /// Assigns the devices of an order, reporting each to `sink`.
    public func assign(order: String, count: Int? = nil, to reference: String, into sink: some AssignmentReportSink)
        async throws
    {
        try Self.requirePrintable(order, "An order number")
        if let count, count < 1 {
            throw PortalError(.invalidRequest, "The number of devices to assign must be at least 1.")
        }
        let now = self.now
        try await store.write { db in
            let server = try requireServer(reference, db)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM orders WHERE number = ?", arguments: [order]) == true else {
                throw PortalError(.unknownOrder, "No order numbered \"\(order)\" belongs to the organisation.")
            }
            let batch = try AssignmentBatch(db)
            try batch.add(order: order, count: count)
            try apply(batch, to: server, audit: try AuditLog(db, at: now, by: .administrator))
            try batch.report(into: sink)
        }
    }

    /// Takes devices off whatever server they are assigned to (a `deleted` event on its log).
    public func unassign(serials: [String]) async throws -> AssignmentReport {
        try await collecting { try await unassign(.serials(serials), into: $0) }
    }

    /// Unassigns the devices of `input`, reporting each line to `sink`.
    public func unassign(_ input: AssignmentInput, into sink: some AssignmentReportSink) async throws {
        let now = self.now
        try await store.write { db in
            let batch = try AssignmentBatch(db)
            try input.forEachChunk(batch.add)
            try unassign(batch, audit: try AuditLog(db, at: now, by: .administrator))
            try batch.report(into: sink)
        }
    }

    /// Releases devices from the organisation for good (dep-api §8): they leave any server
    /// (`deleted`) and can no longer be assigned.
    public func release(serials: [String]) async throws -> AssignmentReport {
        try await collecting { try await release(.serials(serials), into: $0) }
    }

    /// Releases the devices of `input`, reporting each line to `sink`.
    public func release(_ input: AssignmentInput, into sink: some AssignmentReportSink) async throws {
        let now = self.now
        try await store.write { db in
            let batch = try AssignmentBatch(db)
            try input.forEachChunk(batch.add)
            try release(batch, audit: try AuditLog(db, at: now, by: .administrator))
            try batch.report(into: sink)
        }
    }

    /// Releases the devices of `lines` within the caller's transaction.
    func release(_ lines: [AssignmentCSVLine], audit: AuditLog) throws -> AssignmentReport {
        let batch = try AssignmentBatch(audit.db)
        try batch.add(lines)
        try release(batch, audit: audit)
        return AssignmentReport(rows: try batch.report())
    }

    /// Releases the devices of `batch`.
    func release(_ batch: AssignmentBatch, audit: AuditLog) throws {
        try batch.decideUnactionable()
        try batch.decide(.released, where: "1")
        // Devices released earlier have no server (no event) and keep their release time.
        try batch.appendDeletedEvents(for: .released, at: audit.now)
        try audit.record(
            .deviceUnassignedFromServer, batchWhere: "outcome = 'released' AND released = 0 AND server_id IS NOT NULL")
        try audit.record(.deviceRemovedFromOrg, batchWhere: "outcome = 'released' AND released = 0")
        try batch.updateDevices(
            "\(Self.unassignment), released = COALESCE(released, ?)", for: .released, arguments: [audit.now])
    }

    /// Unassigns the devices of `batch` from whatever server they are on; with `server`, only
    /// from that one (the others are `not_assigned`, said so in the detail).
    func unassign(_ batch: AssignmentBatch, from server: MDMServerRecord? = nil, audit: AuditLog) throws {
        try batch.decideUnactionable()
        try batch.decide(.notAssigned, where: "server_id IS NULL")
        if let server {
            try batch.decide(
                .notAssigned, detail: "'assigned to ' || server_name || ', not to this server'",
                where: "server_id != ?", [server.id])
        }
        try batch.decide(.unassigned, where: "1")
        try batch.appendDeletedEvents(for: .unassigned, at: audit.now)
        try audit.record(.deviceUnassignedFromServer, batchWhere: "outcome = 'unassigned'")
        try batch.updateDevices(Self.unassignment, for: .unassigned)
    }

    /// Runs an action that reports to a sink, and returns its report from memory.
    private func collecting(_ action: (ReportCollector) async throws -> Void) async throws -> AssignmentReport {
        let collector = ReportCollector()
        try await action(collector)
        return collector.report
    }

    /// Classifies a batch against `server` and applies it: moves and new assignments.
    func apply(_ batch: AssignmentBatch, to server: MDMServerRecord, audit: AuditLog) throws {
        let (now, db) = (audit.now, audit.db)
        try batch.decideUnactionable()
        try batch.decide(
            .alreadyAssigned, detail: "'already assigned to this server'", where: "server_id = ?", [server.id])
        try batch.decide(.moved, detail: "'moved from ' || server_name", where: "server_id IS NOT NULL")
        try batch.decide(.assigned, where: "1")
        let admin = try organisation(db).adminID
        try batch.appendDeletedEvents(for: .moved, at: now)
        try audit.record(.deviceUnassignedFromServer, batchWhere: "outcome = 'moved'")
        try audit.record(.deviceAssignedToServer, batchWhere: "outcome IN ('assigned', 'moved')", server: server.name)
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
