import DEPCrypto
public import DEPWire
import Foundation
import GRDB

extension World {
    /// The most serials one profile request may name (dep-api §3.8).
    static let maximumSerialsPerRequest = 1000

    /// `POST /profile` (dep-api §3.6): checks the profile (§5.3, in the order documented on
    /// `Profile.validationError`), stores it under a new uuid (profiles are immutable) and assigns
    /// it to the devices it lists.
    public func defineProfile(session: String?, _ profile: Profile, version: ProtocolVersion) async throws
        -> DefineProfileResponse
    {
        let server = try await server(forSession: session)
        if let code = profile.validationError(settings.profileStrictness) { throw DEPError(code) }
        if let code = profile.certificateError(isCertificate: Certificate.isBase64DER) { throw DEPError(code) }
        let serials = try Self.serialList(profile.devices, required: false)
        var stored = profile
        stored.devices = nil
        stored.profileUUID = nil
        let body = try DEPJSON.encodeString(stored)
        let uuid = Self.makeServerUUID()
        let now = self.now
        let fault = DeviceFault.current
        return try await store.write { db in
            try db.execute(
                sql: "INSERT INTO profiles (uuid, server_id, body, created) VALUES (?, ?, ?, ?)",
                arguments: [uuid, server.id, body, now])
            guard profile.devices != nil else { return DefineProfileResponse(profileUUID: uuid) }
            let results = try assignProfile(uuid, to: serials, server: server.id, at: now, fault: fault, db)
            return DefineProfileResponse(profileUUID: uuid, devices: results)
        }
    }

    /// `GET /profile?profile_uuid=…` (dep-api §3.7): the stored profile with its uuid; 404
    /// `NOT_FOUND` for a uuid this server did not define.
    public func profile(session: String?, uuid: String?, version: ProtocolVersion) async throws -> Profile {
        let server = try await server(forSession: session)
        guard let uuid, !uuid.isEmpty else { throw DEPError(.profileUUIDRequired) }
        let body = try await store.read { db in
            try String.fetchOne(
                db, sql: "SELECT body FROM profiles WHERE uuid = ? AND server_id = ?", arguments: [uuid, server.id])
        }
        guard let body else { throw DEPError(.notFound) }
        var profile = try DEPJSON.decode(Profile.self, from: body)
        profile.profileUUID = uuid
        return version.shaped(profile)
    }

    /// `PUT`/`POST /profile/devices` (dep-api §3.8): `SUCCESS` for each device of this server
    /// (now `assigned`, a `modified` event), `NOT_ACCESSIBLE` for any other serial.
    public func assignProfile(session: String?, _ request: ProfileServiceRequest, version: ProtocolVersion) async throws
        -> AssignProfileResponse
    {
        let server = try await server(forSession: session)
        guard let uuid = request.profileUUID, !uuid.isEmpty else { throw DEPError(.profileUUIDRequired) }
        guard !uuid.containsControlCharacters else { throw DEPError(.malformedRequestBody) }
        let serials = try Self.serialList(request.devices, required: true)
        let now = self.now
        let fault = DeviceFault.current
        let results = try await store.write { db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM profiles WHERE uuid = ? AND server_id = ?", arguments: [uuid, server.id])
                    == true
            else { throw DEPError(.notFound) }
            return try assignProfile(uuid, to: serials, server: server.id, at: now, fault: fault, db)
        }
        let throttled = results.contains { $0.value == .throttled }
        return version.shaped(
            AssignProfileResponse(
                profileUUID: uuid, devices: results, retryAfterSeconds: throttled ? fault?.retryAfterSeconds : nil))
    }

    /// `DELETE /profile/devices` (dep-api §3.9): each device of this server that has a profile
    /// becomes `removed` (uuid kept, a `modified` event); `profile_uuid` in the request is ignored.
    public func removeProfile(session: String?, _ request: ClearProfileRequest) async throws -> ClearProfileResponse {
        let server = try await server(forSession: session)
        let serials = try Self.serialList(request.devices, required: true)
        let now = self.now
        let fault = DeviceFault.current
        return try await store.write { db in
            var results = DeviceResults<DeviceResultStatus>()
            for serial in serials where results[serial] == nil {
                if let forced = fault?.result(for: serial) {
                    results[serial] = forced
                    continue
                }
                guard var device = try device(serial, onServer: server.id, db) else {
                    results[serial] = .notAccessible
                    continue
                }
                if device.profileUUID != nil, device.profileStatus != .removed {
                    device.profileStatus = .removed
                    try db.execute(
                        sql: "UPDATE devices SET profile_status = 'removed' WHERE serial = ?", arguments: [serial])
                    try EventLog.append(.modified, for: device, server: server.id, at: now, db)
                }
                results[serial] = .success
            }
            return ClearProfileResponse(devices: results)
        }
    }

    /// Assigns profile `uuid` to each of `serials` that is on `server`, but for those `fault`
    /// gives a result of its own.
    func assignProfile(
        _ uuid: String, to serials: [String], server: Int64, at now: Int64, fault: DeviceFault?, _ db: Database
    ) throws -> DeviceResults<DeviceResultStatus> {
        var results = DeviceResults<DeviceResultStatus>()
        for serial in serials where results[serial] == nil {
            if let forced = fault?.result(for: serial) {
                results[serial] = forced
                continue
            }
            guard var device = try device(serial, onServer: server, db) else {
                results[serial] = .notAccessible
                continue
            }
            device.profileUUID = uuid
            device.profileStatus = .assigned
            device.profileAssignTime = now
            device.profilePushTime = nil
            try db.execute(
                sql: """
                    UPDATE devices SET profile_uuid = ?, profile_status = 'assigned', profile_assign_time = ?,
                    profile_push_time = NULL WHERE serial = ?
                    """,
                arguments: [uuid, now, serial])
            try EventLog.append(.modified, for: device, server: server, at: now, db)
            results[serial] = .success
        }
        return results
    }

    /// The device with `serial` if it is assigned to `server`.
    func device(_ serial: String, onServer server: Int64, _ db: Database) throws -> InventoryDevice? {
        let statement = try db.cachedStatement(
            sql: "SELECT \(InventoryDevice.columns) FROM devices WHERE serial = ? AND server_id = ?")
        return try Row.fetchOne(statement, arguments: [serial, server]).map { InventoryDevice(row: $0) }
    }

    /// The serials of a request: `DEVICE_ID_REQUIRED` when required and empty; more than 1000 is
    /// a malformed request (Apple documents the limit, not its error).
    static func serialList(_ serials: [String]?, required: Bool) throws -> [String] {
        let serials = serials ?? []
        if required, serials.isEmpty { throw DEPError(.deviceIDRequired) }
        // A serial with a control character is no serial; bound to SQL it would stop at a NUL and
        // name another device.
        guard serials.count <= maximumSerialsPerRequest, !serials.contains(where: \.containsControlCharacters) else {
            throw DEPError(.malformedRequestBody)
        }
        return serials
    }
}
