public import DEPWire
public import Foundation
import GRDB

/// A server to create or change through the ABM API: `nil` leaves a field as it is.
public struct MdmServerChange: Sendable {
    public var name: String?
    /// DER bytes of the certificate, decoded from the request's base64.
    public var certificate: Data?
    public var mayDisown: Bool?
    public var defaultFamilies: [String]?

    public init(name: String?, certificate: Data?, mayDisown: Bool?, defaultFamilies: [String]?) {
        self.name = name
        self.certificate = certificate
        self.mayDisown = mayDisown
        self.defaultFamilies = defaultFamilies
    }
}

extension World {
    /// The product families a server may be the default for (`MdmServer.defaultProductFamilies`);
    /// new devices of them are assigned to it (World+DefaultServers.swift).
    public static let productFamilies = Set(defaultableFamilies)

    /// The MDM servers as `mdmServers`, oldest first, a page at a time. The world has no Apple
    /// Configurator pseudo-server (Configurator adds devices unassigned or straight to a real
    /// server), so every server is of type `MDM`.
    public func mdmServers(_ paging: ABMPaging) async throws -> ABMPage<MdmServer> {
        try await store.read { db in
            let after = Int64(paging.after ?? "0") ?? 0
            let records = try Row.fetchAll(
                db, sql: "SELECT \(MDMServerRecord.columns) FROM servers WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [after, paging.limit + 1]
            ).map { MDMServerRecord(row: $0) }
            let page = records.prefix(paging.limit)
            return ABMPage(
                items: try page.map { try mdmServer($0, db) },
                nextCursor: records.count > paging.limit
                    ? page.last.map { ABMPaging.cursor(after: String($0.id), list: MdmServer.resourceType) } : nil)
        }
    }

    /// One server by its ABM id (its uuid); 404 `NOT_FOUND` otherwise.
    public func mdmServer(_ id: String) async throws -> MdmServer {
        try await store.read { db in try mdmServer(try requireABMServer(id, db), db) }
    }

    /// The serials assigned to a server, in serial order, a page at a time.
    public func serverDevices(_ id: String, _ paging: ABMPaging) async throws -> ABMPage<String> {
        try await store.read { db in
            let server = try requireABMServer(id, db)
            let serials = try String.fetchAll(
                db, sql: "SELECT serial FROM devices WHERE server_id = ? AND serial > ? ORDER BY serial LIMIT ?",
                arguments: [server.id, paging.after ?? "", paging.limit + 1])
            let page = Array(serials.prefix(paging.limit))
            return ABMPage(
                items: page,
                nextCursor: serials.count > paging.limit
                    ? page.last.map { ABMPaging.cursor(after: $0, list: "devices-of-" + id) } : nil)
        }
    }

    /// Creates a server as the portal does (the same name and key rules; its token is then
    /// downloaded like any other's); refusals are the ABM API's 409 with the attribute's pointer.
    public func createMdmServer(_ change: MdmServerChange) async throws -> MdmServer {
        guard let name = change.name else {
            throw ABMError.invalidAttribute("/data/attributes/serverName", "serverName is required.")
        }
        guard let certificate = change.certificate else {
            throw ABMError.invalidAttribute(
                "/data/attributes/serverCertificate", "serverCertificate with its base64 data is required.")
        }
        let families = try Self.checkedFamilies(change.defaultFamilies ?? [])
        do {
            let summary = try await createServer(
                name: name, certificate: certificate, mayDisown: change.mayDisown ?? false, defaultFamilies: families)
            return try await mdmServer(summary.uuid)
        } catch let error as PortalError {
            throw Self.abmRefusal(error)
        }
    }

    /// Changes the attributes sent, in one transaction; 404 for an unknown id.
    public func changeMdmServer(_ id: String, _ change: MdmServerChange) async throws -> MdmServer {
        let families = try change.defaultFamilies.map(Self.checkedFamilies)
        let now = self.now
        do {
            let name = try change.name.map(Self.serverName)
            let der = try change.certificate.map(Self.certificateDER)
            return try await store.write { db in
                let server = try requireABMServer(id, db)
                if let name, name.lowercased() != server.name.lowercased(),
                    try MDMServerRecord.find(db, reference: name) != nil
                {
                    throw PortalError(
                        .nameTaken, "An MDM server named \"\(name)\" exists already; choose another name.")
                }
                try db.execute(
                    sql: """
                        UPDATE servers SET name = COALESCE(?, name), certificate = COALESCE(?, certificate),
                        may_disown = COALESCE(?, may_disown), default_families = COALESCE(?, default_families),
                        updated = ? WHERE id = ?
                        """,
                    arguments: [
                        name, der, change.mayDisown, families?.joined(separator: ","), now, server.id,
                    ])
                if let families { try Self.claimDefaultFamilies(families, for: server.id, at: now, db) }
                return try mdmServer(try requireABMServer(id, db), db)
            }
        } catch let error as PortalError {
            throw Self.abmRefusal(error)
        }
    }

    /// Deletes a server as the portal does, but refuses (409) while devices are assigned to it.
    public func deleteMdmServer(_ id: String) async throws {
        _ = try await mdmServer(id)
        try await deleteServer(
            id.uppercased(),
            refusing: ABMError(
                status: 409, code: "ENTITY_ERROR.RELATIONSHIP.INVALID",
                title: "The resource cannot be deleted.",
                detail: "Devices are assigned to this device management service; unassign them first."))
    }

    /// The server whose ABM id (uuid) is `id`.
    func requireABMServer(_ id: String, _ db: Database) throws -> MDMServerRecord {
        guard id.utf8.count == 32, let server = try MDMServerRecord.find(db, sql: "uuid = ?", [id.uppercased()]) else {
            throw ABMError.notFound("mdmServers", id)
        }
        return server
    }

    /// The ABM view of a server.
    func mdmServer(_ server: MDMServerRecord, _ db: Database) throws -> MdmServer {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT (SELECT COUNT(*) FROM devices WHERE server_id = s.id), COALESCE(s.updated, s.created),
                s.default_families FROM servers s WHERE s.id = ?
                """, arguments: [server.id])
        let families: String = row?[2] ?? ""
        return MdmServer(
            id: server.uuid,
            attributes: .init(
                serverName: server.name, serverType: "MDM", status: "ACTIVE", deviceCount: row?[0] ?? 0,
                enableMdmDisownFlag: server.mayDisown,
                defaultProductFamilies: families.split(separator: ",").map(String.init),
                createdDateTime: ABMDateTime(Date(unixSeconds: server.created)),
                updatedDateTime: ABMDateTime(Date(unixSeconds: row?[1] ?? server.created))))
    }

    private static func checkedFamilies(_ families: [String]) throws -> [String] {
        for family in families where !productFamilies.contains(family) {
            throw ABMError.invalidAttribute(
                "/data/attributes/defaultProductFamilies",
                "'\(family)' is not a product family; use \(productFamilies.sorted().joined(separator: ", ")).")
        }
        return families
    }

    /// A portal refusal of a server's name or key, as the ABM API words it.
    private static func abmRefusal(_ error: PortalError) -> ABMError {
        switch error.code {
        case .invalidCertificate:
            .invalidAttribute("/data/attributes/serverCertificate/data", error.message)
        case .notFound:
            .notFound("mdmServers", "")
        default:
            .invalidAttribute("/data/attributes/serverName", error.message)
        }
    }
}
