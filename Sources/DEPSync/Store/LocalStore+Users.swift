public import Foundation
import GRDB

/// A device assigned to a user, as the company portal shows it.
public struct UserDevice: Sendable, Hashable {
    public var serialNumber: String
    /// The user principal name (UPN) the device is assigned to.
    public var userPrincipalName: String
    public var model: String?
    public var profileUUID: String?
    public var profileName: String?
    /// When an administrator assigned the device to the user.
    public var assigned: Date
    /// When the user last confirmed, in the portal, that this is their device.
    public var identified: Date?
}

/// A device's user and profile, as the portal's checks need them.
struct UserAffinityState: Sendable, Hashable {
    var isRemoved: Bool
    var profileUUID: String?
    var profileStatus: String?
    /// The affinity the profile was defined with here; `nil` when unknown.
    var affinity: UserAffinity?
    var profileName: String?
    var user: String?

    /// Whether the device has a profile in force (assigned or pushed).
    var hasProfile: Bool { profileUUID != nil && (profileStatus == "assigned" || profileStatus == "pushed") }
}

/// `device_users` rows are one device's user; they live as long as the device keeps the
/// profile it had when assigned: removal of the profile, of the device, or another profile
/// retires them (`retireUsers`), so changing a device's affinity means enrolling it again.
extension LocalStore {
    /// Migration `v2-user-affinity`: the user affinity and description a profile was defined
    /// with (console settings; NULL for Apple's profile JSON), and each device's user. UPNs
    /// compare case-insensitively.
    static func addUserAffinity(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE profiles ADD COLUMN user_affinity TEXT;
                ALTER TABLE profiles ADD COLUMN description TEXT;
                CREATE TABLE device_users (
                    serial TEXT PRIMARY KEY,
                    upn TEXT NOT NULL COLLATE NOCASE,
                    profile_uuid TEXT NOT NULL,
                    assigned REAL NOT NULL,
                    identified REAL) WITHOUT ROWID;
                CREATE INDEX device_users_by_upn ON device_users(upn);
                """)
    }

    /// Ends the user assignment of every device that is removed, lost its profile or has
    /// another profile than when it was assigned. Called inside the transactions that change
    /// devices; costs one lookup per assigned device.
    static func retireUsers(_ db: Database) throws {
        try db.execute(
            sql: """
                DELETE FROM device_users WHERE NOT EXISTS (
                    SELECT 1 FROM devices AS d WHERE d.serial = device_users.serial AND d.removed IS NULL
                        AND d.profile_status IN ('assigned', 'pushed') AND d.profile_uuid IS device_users.profile_uuid)
                """)
    }

    /// Records the user affinity and description of profile `uuid`, defined here.
    func storeProfileDetails(_ uuid: String, userAffinity: UserAffinity?, description: String?) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE profiles SET user_affinity = ?, description = ? WHERE uuid = ?",
                arguments: [userAffinity?.rawValue, description, uuid])
        }
    }

    /// The user affinity profile `uuid` was defined with, if defined here from console settings.
    public func userAffinity(ofProfile uuid: String) async throws -> UserAffinity? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT user_affinity FROM profiles WHERE uuid = ?", arguments: [uuid])
                .flatMap(UserAffinity.init(rawValue:))
        }
    }

    /// The description profile `uuid` was defined with, if any.
    public func description(ofProfile uuid: String) async throws -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT description FROM profiles WHERE uuid = ?", arguments: [uuid])
        }
    }

    /// What the portal checks about device `serial`, or `nil` when the store does not have it.
    func userAffinityState(of serial: String) async throws -> UserAffinityState? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT d.removed IS NOT NULL, d.profile_uuid, d.profile_status, p.user_affinity, p.name, u.upn
                    FROM devices AS d
                    LEFT JOIN profiles AS p ON p.uuid = d.profile_uuid
                    LEFT JOIN device_users AS u ON u.serial = d.serial AND u.profile_uuid IS d.profile_uuid
                        AND d.removed IS NULL AND d.profile_status IN ('assigned', 'pushed')
                    WHERE d.serial = ?
                    """, arguments: [serial]
            ).map { row in
                UserAffinityState(
                    isRemoved: row[0], profileUUID: row[1], profileStatus: row[2],
                    affinity: (row[3] as String?).flatMap(UserAffinity.init(rawValue:)), profileName: row[4],
                    user: row[5])
            }
        }
    }

    /// Assigns device `serial` (with profile `profile`) to `upn`; an assignment to the same
    /// user is kept as it was.
    func assignUser(_ upn: String, to serial: String, profile: String, at date: Date) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO device_users (serial, upn, profile_uuid, assigned) VALUES (?, ?, ?, ?)
                    ON CONFLICT (serial) DO UPDATE SET upn = excluded.upn, profile_uuid = excluded.profile_uuid,
                        assigned = excluded.assigned, identified = NULL
                    WHERE device_users.upn != excluded.upn OR device_users.profile_uuid IS NOT excluded.profile_uuid
                    """, arguments: [serial, upn, profile, date.storeValue])
        }
    }

    /// Records that `upn` identified device `serial` in the portal at `date`.
    func recordIdentification(of serial: String, by upn: String, at date: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE device_users SET identified = ? WHERE serial = ? AND upn = ?",
                arguments: [date.storeValue, serial, upn])
        }
    }

    /// The devices assigned to `upn` (or to anyone when `nil`) whose profile is still in force,
    /// by serial. `affinity` keeps only those whose profile was defined with it.
    public func userDevices(of upn: String?, affinity: UserAffinity? = .prompt) async throws -> [UserDevice] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT u.serial, u.upn, d.model, d.profile_uuid, p.name, u.assigned, u.identified
                    FROM device_users AS u
                    JOIN devices AS d ON d.serial = u.serial
                    LEFT JOIN profiles AS p ON p.uuid = d.profile_uuid
                    WHERE (?1 IS NULL OR u.upn = ?1) AND (?2 IS NULL OR p.user_affinity = ?2)
                        AND d.removed IS NULL AND d.profile_status IN ('assigned', 'pushed')
                        AND d.profile_uuid IS u.profile_uuid
                    ORDER BY u.serial
                    """, arguments: [upn, affinity?.rawValue]
            ).map { row in
                UserDevice(
                    serialNumber: row[0], userPrincipalName: row[1], model: row[2], profileUUID: row[3],
                    profileName: row[4], assigned: Date(storeValue: row[5]) ?? .distantPast,
                    identified: Date(storeValue: row[6]))
            }
        }
    }
}
