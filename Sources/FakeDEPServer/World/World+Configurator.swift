import DEPWire
import Foundation
import GRDB

extension PortalError.Code {
    /// The model named for an Apple Configurator add is not in the product catalogue.
    public static let unknownModel = Self(rawValue: "UNKNOWN_MODEL")
    /// The device has no provisional period: it was not added with Apple Configurator.
    public static let notProvisional = Self(rawValue: "NOT_PROVISIONAL")
    /// The device's 30-day provisional period is over.
    public static let provisionalPeriodEnded = Self(rawValue: "PROVISIONAL_PERIOD_ENDED")
}

/// A product Apple Configurator can add, as `GET /portal/configurator/models` lists it.
public struct ConfiguratorModel: Codable, Sendable, Hashable {
    public var productType: String
    public var model: String
    public var family: String

    enum CodingKeys: String, CodingKey {
        case productType = "product_type", model, family
    }
}

extension World {
    /// The purchase source of devices added with Apple Configurator (peers §6).
    public static let configuratorPurchaseSource = "MANUALLY_ADDED"
    /// How long a device added with Configurator may still leave the organisation by itself
    /// once it is assigned and enrolled (peers §6: 30 days). The fake starts the clock when the
    /// device first fetches a profile (`bootDevice`), the step after which it enrolls.
    static let provisionalPeriod: Int64 = 30 * 86_400

    /// What a Configurator add says of the provisional period, which has not started yet.
    static let provisionalNote = "provisional for 30 days once enrolled"

    /// Adds devices prepared with Apple Configurator to the organisation (peers §6): each new
    /// serial becomes a device of `model` (a catalogue product type such as `iPhone17,3`, or its
    /// model name), bought from `MANUALLY_ADDED` in one synthetic order, provisional (its 30 days
    /// start when it enrolls), and assigned to `server` at once when one is named (an `added` event, as a portal
    /// assignment). A serial the organisation already has is refused on its line; a released
    /// device is added again as a new record.
    public func addWithConfigurator(serials: [String], model: String, server reference: String? = nil)
        async throws -> AssignmentReport
    {
        let entry = try Self.configuratorEntry(model)
        guard !serials.isEmpty else { throw PortalError(.invalidRequest, "Name at least one serial number to add.") }
        let now = self.now
        return try await store.write { db in
            // Without a server named, the family's default server (if it has one) takes them.
            let server =
                try reference.map { try requireServer($0, db) } ?? Self.defaultServer(forFamily: entry.family, db)
            _ = try organisation(db)
            let batch = try AssignmentBatch(db)
            try batch.add(Self.lines(serials))
            try batch.lookUp()
            try batch.decide(
                .alreadyInOrganisation, detail: "'the organisation already has this device'",
                where: "known = 1 AND released = 0")
            try batch.decide(
                .alreadyInOrganisation,
                detail:
                    "'listed again; first on line ' || (SELECT MIN(b.line) FROM batch b WHERE b.serial = batch.serial)",
                where: "EXISTS (SELECT 1 FROM batch b WHERE b.serial = batch.serial AND b.line < batch.line)")
            let newSerials = try String.fetchAll(
                db, sql: "SELECT serial FROM batch WHERE outcome IS NULL ORDER BY line")
            guard !newSerials.isEmpty else { return AssignmentReport(rows: try batch.report()) }

            let order = try Self.insertConfiguratorOrder(at: now, db)
            try db.execute(
                sql:
                    "DELETE FROM devices WHERE serial IN (SELECT serial FROM batch WHERE outcome IS NULL AND released = 1)"
            )
            try Self.insertConfiguratorDevices(newSerials, entry: entry, order: order, added: now, db)
            let audit = try AuditLog(db, at: now, by: .administrator)
            try audit.record(.deviceAddedToOrg, batchWhere: "outcome IS NULL")

            if let server {
                // The portal's own assignment path: `added` on the server's log (dep-api §9).
                try apply(batch, to: server, audit: audit)
                try db.execute(
                    sql: "UPDATE batch SET outcome = ?, detail = ? WHERE outcome = ?",
                    arguments: [
                        AssignmentOutcome.added.rawValue, "assigned to \(server.name); \(Self.provisionalNote)",
                        AssignmentOutcome.assigned.rawValue,
                    ])
            } else {
                try batch.decide(.added, detail: "?", where: "1", [Self.provisionalNote])
            }
            return AssignmentReport(rows: try batch.report())
        }
    }

    /// Releases a device during its provisional period, as its user may from Settings or Setup
    /// Assistant (peers §6): it leaves the organisation the way a release does, so the MDM sees
    /// `deleted`. Allowed from the add until 30 days after the device enrolled; refused once
    /// the period is over, and for devices not added with Configurator.
    public func releaseProvisional(serial text: String) async throws -> AssignmentReport {
        guard let serial = SerialNumber.normalized(text) else {
            throw PortalError(.invalidSerial, "\"\(text)\" is not a serial number (8 to 20 letters and digits).")
        }
        let now = self.now
        return try await store.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT released, provisional_until, purchase_source FROM devices WHERE serial = ?",
                    arguments: [serial])
            else {
                throw PortalError(
                    .notFound,
                    "No device of the organisation has the serial number \(serial); list them with `fakedep devices`.")
            }
            if let released: Int64 = row[0] {
                throw PortalError(
                    .notFound,
                    "\(serial) already left the organisation on \(DEPDate.format(Date(unixSeconds: released))).")
            }
            let source: String? = row[2]
            guard source == Self.configuratorPurchaseSource else {
                throw PortalError(
                    .notProvisional,
                    "\(serial) was not added with Apple Configurator, so it has no provisional period; an administrator releases it with `fakedep release`."
                )
            }
            if let until: Int64 = row[1], now >= until {
                throw PortalError(
                    .provisionalPeriodEnded,
                    "The provisional period of \(serial) ended on \(DEPDate.format(Date(unixSeconds: until))); the device can no longer leave the organisation by itself. An administrator can still release it with `fakedep release`."
                )
            }
            // The device's user releases it, not the administrator.
            return try release(Self.lines([serial]), audit: try AuditLog(db, at: now, by: .system))
        }
    }

    /// The products Apple Configurator can add, in catalogue order.
    public func configuratorModels() throws -> [ConfiguratorModel] {
        try Catalog.bundled().entries.map {
            ConfiguratorModel(productType: $0.productType, model: $0.model, family: $0.family)
        }
    }

    /// The catalogue entry `name` names: its product type, else the first entry with that model
    /// name (both ignoring case).
    static func configuratorEntry(_ name: String) throws -> CatalogEntry {
        let entries = try Catalog.bundled().entries
        let wanted = name.trimmingCharacters(in: .whitespaces).lowercased()
        if let entry = entries.first(where: { $0.productType.lowercased() == wanted })
            ?? entries.first(where: { $0.model.lowercased() == wanted })
        {
            return entry
        }
        throw PortalError(
            .unknownModel,
            "No product of the catalogue is \"\(name)\". Give a product type such as \(entries[0].productType) or a model name such as \"\(entries[0].model)\"; `fakedep configurator models` (GET /portal/configurator/models) lists them all."
        )
    }

    /// Inserts the synthetic order a Configurator add's devices belong to (`order_number` is
    /// required): `CONFIGURATOR-<day>-<n>`, purchase source `MANUALLY_ADDED`.
    private static func insertConfiguratorOrder(at now: Int64, _ db: Database) throws -> String {
        let prefix = "CONFIGURATOR-\(DEPDate.formatDay(Date(unixSeconds: now)))-"
        let taken =
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM orders WHERE number LIKE ? || '%'", arguments: [prefix]) ?? 0
        let number = prefix + String(taken + 1)
        try db.execute(
            sql: "INSERT INTO orders (number, date, source) VALUES (?, ?, ?)",
            arguments: [number, now, configuratorPurchaseSource])
        return number
    }

    /// Inserts one unassigned device of `entry` per serial. Configurator knows no order line,
    /// so colour and capacity are left out and the part number is the product's first.
    private static func insertConfiguratorDevices(
        _ serials: [String], entry: CatalogEntry, order: String, added: Int64, _ db: Database
    ) throws {
        let placeholders = Array(repeating: "?", count: 32).joined(separator: ", ")
        let statement = try db.cachedStatement(
            sql: "INSERT INTO devices (\(InventoryDevice.columns)) VALUES (\(placeholders))")
        for serial in serials {
            let device = InventoryDevice(
                serial: serial, model: entry.model, description: entry.descriptionPrefix, color: nil, os: entry.os,
                family: entry.family, productType: entry.productType, partNumber: entry.partNumberPrefix + "0LL/A",
                capacity: nil, orderNumber: order, purchaseSource: configuratorPurchaseSource, added: added)
            try statement.execute(arguments: device.databaseValues)
        }
    }
}
