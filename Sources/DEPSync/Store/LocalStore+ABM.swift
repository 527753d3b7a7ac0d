public import DEPWire
public import Foundation
import GRDB

/// A device of the organisation as `depsync abm devices` keeps it: Apple's attributes as last
/// read, and what the agent derives.
public struct ABMLocalDevice: Sendable, Hashable {
    public var serialNumber: String
    public var attributes: OrgDevice.Attributes
    /// When the service released it from the organisation (`releasedFromOrgDateTime`).
    public var released: Date?
    /// When the agent found it gone: released, or left out of a full listing. Local time.
    public var removed: Date?
    public var firstSeen: Date
    /// When the agent last read it from the service.
    public var refreshed: Date

    /// `ASSIGNED` or `UNASSIGNED` as the service says, `RELEASED` once it is gone.
    public var status: String { removed == nil ? attributes.status ?? "" : "RELEASED" }
}

/// The cached credentials of the API account: the client assertion and the access token it
/// was traded for, each with its expiry.
public struct ABMCachedCredentials: Sendable, Hashable {
    public var clientID: String
    public var assertion: String?
    public var assertionExpiry: Date?
    public var accessToken: String?
    public var accessTokenExpiry: Date?

    public init(
        clientID: String, assertion: String? = nil, assertionExpiry: Date? = nil, accessToken: String? = nil,
        accessTokenExpiry: Date? = nil
    ) {
        self.clientID = clientID
        self.assertion = assertion
        self.assertionExpiry = assertionExpiry
        self.accessToken = accessToken
        self.accessTokenExpiry = accessTokenExpiry
    }
}

extension LocalStore {
    /// Adds the ABM inventory and the API account's cached credentials (`depsync abm`).
    ///
    /// `abm_devices.attributes` is Apple's JSON as read; `listing` is the full listing that last
    /// saw the device, so one that ends without it marks it removed. `abm_state` is one row:
    /// the credentials of one client id, and `last_refresh`, the *service's* time the inventory
    /// is complete up to (the audit log is read from there).
    static func addABM(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE abm_devices (
                    serial TEXT PRIMARY KEY,
                    attributes TEXT NOT NULL,
                    updated_date_time REAL,
                    released REAL,
                    removed REAL,
                    first_seen REAL NOT NULL,
                    refreshed REAL NOT NULL,
                    listing INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
                CREATE TABLE abm_state (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    client_id TEXT,
                    assertion TEXT, assertion_expiry REAL,
                    access_token TEXT, access_token_expiry REAL,
                    last_refresh REAL,
                    listing INTEGER NOT NULL DEFAULT 0);
                INSERT INTO abm_state (id) VALUES (1);
                """)
    }

    // MARK: Credentials

    /// The cached credentials, if they are `clientID`'s.
    public func abmCredentials(clientID: String) async throws -> ABMCachedCredentials? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT client_id, assertion, assertion_expiry, access_token, access_token_expiry
                    FROM abm_state WHERE id = 1 AND client_id = ?
                    """, arguments: [clientID]
            ).map { row in
                ABMCachedCredentials(
                    clientID: row[0], assertion: row[1], assertionExpiry: Date(storeValue: row[2]),
                    accessToken: row[3], accessTokenExpiry: Date(storeValue: row[4]))
            }
        }
    }

    /// Caches `credentials`. Those of another client id are dropped, and with them the
    /// inventory's refresh mark: another account may be another organisation.
    public func storeABMCredentials(_ credentials: ABMCachedCredentials) async throws {
        try await write { db in
            let previous = try String.fetchOne(db, sql: "SELECT client_id FROM abm_state WHERE id = 1")
            if previous != credentials.clientID {
                try db.execute(sql: "UPDATE abm_state SET last_refresh = NULL WHERE id = 1")
            }
            try db.execute(
                sql: """
                    UPDATE abm_state SET client_id = ?, assertion = ?, assertion_expiry = ?, access_token = ?,
                        access_token_expiry = ? WHERE id = 1
                    """,
                arguments: [
                    credentials.clientID, credentials.assertion, credentials.assertionExpiry?.storeValue,
                    credentials.accessToken, credentials.accessTokenExpiry?.storeValue,
                ])
        }
    }

    // MARK: Inventory

    /// The service's time the inventory was last complete up to, if it ever was.
    public func abmLastRefresh() async throws -> Date? {
        try await read { db in
            Date(storeValue: try Double.fetchOne(db, sql: "SELECT last_refresh FROM abm_state WHERE id = 1"))
        }
    }

    /// Records that the inventory is complete up to `serviceTime`.
    func setABMLastRefresh(_ serviceTime: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE abm_state SET last_refresh = ? WHERE id = 1", arguments: [serviceTime.storeValue])
        }
    }

    /// Starts a full listing: the number its pages are stored under.
    func beginABMListing() async throws -> Int {
        try await write { db in
            try db.execute(sql: "UPDATE abm_state SET listing = listing + 1 WHERE id = 1")
            return try Int.fetchOne(db, sql: "SELECT listing FROM abm_state WHERE id = 1") ?? 1
        }
    }

    /// Ends full listing `listing`: the devices it did not list are gone from the organisation
    /// (the list leaves released devices out, peers §5.4) and marked removed. Returns how many.
    func finishABMListing(_ listing: Int, at date: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "UPDATE abm_devices SET removed = ? WHERE listing != ? AND removed IS NULL",
                arguments: [date.storeValue, listing])
            return db.changesCount
        }
    }

    /// Stores `devices` as read now; a device with a `releasedFromOrgDateTime` is marked
    /// removed. Returns the serials that are new or whose `updatedDateTime` or release changed.
    @discardableResult
    func storeABMDevices(_ devices: [OrgDevice], listing: Int? = nil, at date: Date) async throws -> [String] {
        let rows = try devices.map { device in
            (device, String(decoding: try DEPJSON.encode(device.attributes ?? OrgDevice.Attributes()), as: UTF8.self))
        }
        return try await write { db in
            var changed: [String] = []
            for (device, json) in rows {
                let attributes = device.attributes
                let released = (attributes?.releasedFromOrgDateTime ?? nil)?.date.storeValue
                let updated = attributes?.updatedDateTime?.date.storeValue
                let previous = try Row.fetchOne(
                    db, sql: "SELECT updated_date_time, released, removed FROM abm_devices WHERE serial = ?",
                    arguments: [device.id])
                if previous == nil || previous?[0] as Double? != updated || previous?[1] as Double? != released
                    || (previous?[2] as Double? != nil) != (released != nil)
                {
                    changed.append(device.id)
                }
                try db.execute(
                    sql: """
                        INSERT INTO abm_devices
                            (serial, attributes, updated_date_time, released, removed, first_seen, refreshed, listing)
                        VALUES (?1, ?2, ?3, ?4, CASE WHEN ?4 IS NULL THEN NULL ELSE ?5 END, ?5, ?5, COALESCE(?6, 0))
                        ON CONFLICT (serial) DO UPDATE SET
                            attributes = ?2, updated_date_time = ?3, released = ?4,
                            removed = CASE WHEN ?4 IS NULL THEN NULL ELSE COALESCE(removed, ?5) END,
                            refreshed = ?5, listing = COALESCE(?6, listing)
                        """,
                    arguments: [device.id, json, updated, released, date.storeValue, listing])
            }
            return changed
        }
    }

    /// Marks `serial` removed: the service no longer knows it. Returns whether it was not before.
    func markABMDeviceRemoved(_ serial: String, at date: Date) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: "UPDATE abm_devices SET removed = ?, refreshed = ? WHERE serial = ? AND removed IS NULL",
                arguments: [date.storeValue, date.storeValue, serial])
            return db.changesCount > 0
        }
    }

    /// Up to `limit` devices of the inventory in serial order after serial `after`.
    public func abmDevices(after: String? = nil, limit: Int = 1000) async throws -> [ABMLocalDevice] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.abmColumns) FROM abm_devices WHERE serial > ? ORDER BY serial LIMIT ?",
                arguments: [after ?? "", limit]
            ).map(Self.abmDevice)
        }
    }

    /// One device of the inventory.
    public func abmDevice(_ serial: String) async throws -> ABMLocalDevice? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.abmColumns) FROM abm_devices WHERE serial = ?", arguments: [serial]
            ).map(Self.abmDevice)
        }
    }

    private static let abmColumns = "serial, attributes, released, removed, first_seen, refreshed"

    private static func abmDevice(_ row: Row) -> ABMLocalDevice {
        let json: String = row[1]
        return ABMLocalDevice(
            serialNumber: row[0],
            attributes: (try? DEPJSON.decode(OrgDevice.Attributes.self, from: Data(json.utf8)))
                ?? OrgDevice.Attributes(),
            released: Date(storeValue: row[2]), removed: Date(storeValue: row[3]),
            firstSeen: Date(timeIntervalSince1970: row[4]), refreshed: Date(timeIntervalSince1970: row[5]))
    }
}
