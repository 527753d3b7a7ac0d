import DEPWire
import Foundation
import GRDB

/// Default assignment by product family (peers §5, §6): a family may have one default MDM
/// server, and a device of that family joining the organisation (bought, or added with Apple
/// Configurator without a server) is assigned to it at once, as if an administrator had.
extension World {
    /// The product families a server may be the default of, in the ABM API's names.
    public static let defaultableFamilies = ["APPLE_TV", "IPAD", "IPHONE", "IPOD", "MAC", "VISION", "WATCH"]

    /// The ABM name of a device's family (`AppleTV` → `APPLE_TV`, `iPhone` → `IPHONE`).
    static func abmFamily(of family: String) -> String {
        family == "AppleTV" ? "APPLE_TV" : family.uppercased()
    }

    /// The families whose default server `reference` is, in the ABM API's names.
    public func defaultFamilies(of reference: String) async throws -> [String] {
        try await store.read { db in
            let server = try requireServer(reference, db)
            return try Self.defaultFamilies(ofServer: server.id, db)
        }
    }

    /// Makes `reference` the default server of exactly `families` (ABM names); a family another
    /// server was the default of moves to this one, since a family has one default.
    public func setDefaultFamilies(_ families: [String], of reference: String) async throws -> [String] {
        let families = try Self.checkedDefaultFamilies(families)
        let now = self.now
        return try await store.write { db in
            let server = try requireServer(reference, db)
            try Self.claimDefaultFamilies(families, for: server.id, at: now, db)
            return try Self.defaultFamilies(ofServer: server.id, db)
        }
    }

    /// Refuses a family the ABM API does not know; keeps each once, in the API's order.
    static func checkedDefaultFamilies(_ families: [String]) throws -> [String] {
        for family in families where !defaultableFamilies.contains(family) {
            throw PortalError(
                .invalidRequest,
                "\"\(family.escapingControlCharacters)\" is not a product family; use "
                    + defaultableFamilies.joined(separator: ", ") + ".")
        }
        return defaultableFamilies.filter(families.contains)
    }

    /// Gives `server` exactly `families` as its defaults, taking them from any other server.
    static func claimDefaultFamilies(_ families: [String], for server: Int64, at now: Int64, _ db: Database) throws {
        let others = try Row.fetchAll(
            db, sql: "SELECT id, default_families FROM servers WHERE id != ? AND default_families != ''",
            arguments: [server])
        for row in others {
            let kept = String.defaultFamilies(row[1]).filter { !families.contains($0) }
            try db.execute(
                sql: "UPDATE servers SET default_families = ?, updated = ? WHERE id = ? AND default_families != ?",
                arguments: [kept.joined(separator: ","), now, row[0] as Int64, kept.joined(separator: ",")])
        }
        try db.execute(
            sql: "UPDATE servers SET default_families = ?, updated = ? WHERE id = ?",
            arguments: [families.joined(separator: ","), now, server])
    }

    static func defaultFamilies(ofServer server: Int64, _ db: Database) throws -> [String] {
        String.defaultFamilies(
            try String.fetchOne(db, sql: "SELECT default_families FROM servers WHERE id = ?", arguments: [server]))
    }

    /// The default server of a device family, if it has one.
    static func defaultServer(forFamily family: String, _ db: Database) throws -> MDMServerRecord? {
        try defaultServers(db)[abmFamily(of: family)].flatMap { try MDMServerRecord.find(db, reference: $0) }
    }

    /// The default server's name of each family that has one, by the ABM family name.
    static func defaultServers(_ db: Database) throws -> [String: String] {
        var servers: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, default_families FROM servers WHERE default_families != ''")
        {
            for family in String.defaultFamilies(row[1]) { servers[family] = row[0] }
        }
        return servers
    }

    /// Assigns devices that just joined the organisation, each given with the name of its
    /// family's default server, as an administrator would: each server's in one batch, with
    /// their `added` events and audit entries.
    func assignByDefault(_ joined: [(serial: String, server: String)], at now: Int64, _ db: Database) throws {
        for (name, devices) in Dictionary(grouping: joined, by: \.server) {
            guard let server = try MDMServerRecord.find(db, reference: name) else { continue }
            let batch = try AssignmentBatch(db)
            try batch.add(Self.lines(devices.map(\.serial)))
            try apply(batch, to: server, audit: try AuditLog(db, at: now, by: .system))
        }
    }
}

extension String {
    /// The families of a `default_families` column (comma-separated).
    fileprivate static func defaultFamilies(_ column: String?) -> [String] {
        (column ?? "").split(separator: ",").map(String.init)
    }
}
