import DEPSync
import Foundation
import GRDB
import Testing

/// What a restarted `fakedep` must show after a kill: the operation whole or absent, every
/// server's full DEP fetch equal to the portal's list of its devices, and the event and audit
/// logs replaying to the assignment the devices hold.
struct CrashExamination {
    let operation: CrashOperation
    let store: CrashStore
    let serve: ServeProcess
    let database: URL
    let worldsDirectory: URL

    /// Checks the restarted server; `answer` is the operation's answer if it came before the
    /// kill (then it must have been kept). Returns whether the operation took effect.
    func run(answer: HTTPResponse?) async throws -> Bool {
        let applied = try await wholeOrAbsent(answer: answer)
        if let answer {
            #expect(applied, "\(operation.rawValue) answered \(answer.status) before the kill but was lost")
        }
        for server in [CrashStore.csvServer, CrashStore.profileServer] {
            let portal = try await MDMView.portalSerials(serve, server: server)
            let fetched = try await MDMView.fetchedSerials(serve, server: server, keyPair: store.keyPair)
            #expect(fetched.count == Set(fetched).count, "\(server)'s fetch repeats a device")
            #expect(Set(fetched) == Set(portal), "\(server)'s fetch differs from the portal's list")
            #expect(fetched.count == portal.count, "\(server)'s fetch and the portal count differently")
        }
        try Self.checkLogs(of: database)
        return applied
    }

    /// Checks that the operation changed all of its devices or none; whether it did.
    private func wholeOrAbsent(answer: HTTPResponse?) async throws -> Bool {
        switch operation {
        case .csvAssignment:
            let assigned = Set(try await MDMView.portalSerials(serve, server: CrashStore.csvServer))
            #expect(assigned.isEmpty || assigned == Set(store.csvSerials), "\(assigned.count) of 100,000 assigned")
            return !assigned.isEmpty
        case .seed:
            let (devices, added) = try Self.read(database) { db in
                (
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM devices") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_events WHERE type = 'DEVICE_ADDED_TO_ORG'")
                        ?? 0
                )
            }
            let before = store.csvSerials.count + store.profileSerials.count
            #expect([before, before + CrashOperation.generatedDevices].contains(devices), "\(devices) devices")
            #expect(added == devices, "\(added) devices joined the organisation, \(devices) are in it")
            let empty = try Self.read(database) { db in
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM orders WHERE number NOT IN (SELECT order_number FROM devices)")
            }
            #expect(empty == 0, "\(empty ?? -1) orders without devices")
            return devices > before
        case .worldCreation:
            return try await worldWholeOrAbsent(answer: answer)
        case .profileAssignment:
            let profiled = try Self.read(database) { [uuid = store.profileUUID] db in
                try String.fetchAll(db, sql: "SELECT serial FROM devices WHERE profile_uuid = ?", arguments: [uuid])
            }
            #expect(
                profiled.isEmpty || Set(profiled) == Set(store.profileSerials), "\(profiled.count) of 1,000 profiled")
            return !profiled.isEmpty
        }
    }

    /// A kept world is listed, answers and holds every device of its seed; no store of a world
    /// half made is left in the worlds directory.
    private func worldWholeOrAbsent(answer: HTTPResponse?) async throws -> Bool {
        let listed = try JSONSerialization.jsonObject(with: try await serve.expect(200, "GET", "/_fakedep/worlds"))
        let ids = Set(((listed as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }).subtracting(["default"])
        let files = try FileManager.default.contentsOfDirectory(atPath: worldsDirectory.path)
        let stores = Set(files.filter { $0.hasSuffix(".sqlite") }.map { String($0.dropLast(".sqlite".count)) })
        #expect(stores == ids, "world stores \(stores.sorted()) but worlds \(ids.sorted())")
        #expect(ids.count <= 1)
        if let answer, let made = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any] {
            #expect(ids.contains(made["id"] as? String ?? ""), "the world made before the kill is gone")
        }
        for id in ids {
            let devices = try await MDMView.portalSerials(serve, server: nil, world: id)
            #expect(devices.count == CrashOperation.generatedDevices, "world \(id) holds \(devices.count) devices")
            try Self.checkLogs(of: worldsDirectory.appendingPathComponent("\(id).sqlite"))
        }
        return !ids.isEmpty
    }

    /// The store is sound, each server's event log replays to the devices it holds (what a sync
    /// from the start reports), and the audit log's last assignment event of each device names
    /// the server it is on.
    static func checkLogs(of database: URL) throws {
        let (check, replayed, audited) = try read(database) { db in
            (
                try String.fetchOne(db, sql: "PRAGMA quick_check"),
                try Int.fetchOne(db, sql: replayMismatches) ?? -1,
                try Int.fetchOne(db, sql: auditMismatches) ?? -1
            )
        }
        #expect(check == "ok", "\(database.lastPathComponent): \(check ?? "no answer")")
        #expect(replayed == 0, "\(database.lastPathComponent): \(replayed) devices where the event log disagrees")
        #expect(audited == 0, "\(database.lastPathComponent): \(audited) devices where the audit log disagrees")
    }

    /// Devices whose server differs from the one its event log replays to (the last event of
    /// each device in each server's log: `deleted`, or `added`/`modified`, which hold it there).
    private static let replayMismatches = """
        WITH last AS (SELECT server_id, serial, MAX(seq) AS seq FROM events GROUP BY server_id, serial),
        held AS (SELECT e.server_id, e.serial FROM events e JOIN last USING (seq) WHERE e.op_type != 'deleted')
        SELECT (SELECT COUNT(*) FROM held h LEFT JOIN devices d ON d.serial = h.serial
                WHERE d.server_id IS NOT h.server_id)
             + (SELECT COUNT(*) FROM devices d WHERE d.server_id IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM held h WHERE h.serial = d.serial AND h.server_id = d.server_id))
        """

    /// Devices whose server differs from the one their last audit assignment event names.
    private static let auditMismatches = """
        WITH last AS (
            SELECT serial, MAX(seq) AS seq FROM audit_events
            WHERE type IN ('DEVICE_ASSIGNED_TO_SERVER', 'DEVICE_UNASSIGNED_FROM_SERVER') GROUP BY serial),
        audited AS (
            SELECT a.serial, CASE a.type WHEN 'DEVICE_ASSIGNED_TO_SERVER' THEN a.server_name END AS server
            FROM audit_events a JOIN last USING (seq))
        SELECT COUNT(*) FROM devices d LEFT JOIN servers s ON s.id = d.server_id
        LEFT JOIN audited a ON a.serial = d.serial
        WHERE a.server IS NOT s.name
        """

    /// Reads the store at `database` beside the running server.
    private static func read<T>(_ database: URL, _ work: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: database.path, configuration: configuration).read(work)
    }
}
