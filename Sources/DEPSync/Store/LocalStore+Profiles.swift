public import DEPWire
public import Foundation
import GRDB

/// A profile this agent defined.
public struct DefinedProfile: Sendable, Hashable {
    public var uuid: String
    public var profile: Profile
    public var defined: Date
}

extension LocalStore {
    /// Remembers a profile the service accepted as `uuid`.
    public func storeProfile(_ profile: Profile, uuid: String, at date: Date) async throws {
        let body = try DEPJSON.encodeString(profile)
        try await write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO profiles (uuid, name, body, defined) VALUES (?, ?, ?, ?)",
                arguments: [uuid.storable, (profile.profileName ?? "").storable, body, date.storeValue])
        }
    }

    /// The profiles defined here, newest first.
    public func definedProfiles() async throws -> [DefinedProfile] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT uuid, body, defined FROM profiles ORDER BY defined DESC, uuid").map {
                row in
                DefinedProfile(
                    uuid: row[0], profile: try DEPJSON.decode(Profile.self, from: row[1] as String),
                    defined: Date(timeIntervalSince1970: row[2]))
            }
        }
    }
}
