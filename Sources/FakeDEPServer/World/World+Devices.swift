public import DEPWire
import Foundation
import GRDB

extension World {
    /// `POST /devices` (dep-api §3.4): each serial's record with `SUCCESS`, or only
    /// `NOT_ACCESSIBLE` for a serial this server cannot see.
    public func deviceDetails(session: String?, serials: [String], version: ProtocolVersion) async throws
        -> DeviceListResponse
    {
        let server = try await server(forSession: session)
        let serials = try Self.serialList(serials, required: true)
        let fault = DeviceFault.current
        return try await store.read { db in
            var results = DeviceResults<DeviceDetailsResult>()
            for serial in serials where results[serial] == nil {
                if let forced = fault?.result(for: serial) {
                    results[serial] = .status(version.shaped(forced))
                } else if let device = try device(serial, onServer: server.id, db) {
                    var wire = version.shaped(device.wireDevice)
                    wire.responseStatus = .success
                    results[serial] = .device(wire)
                } else {
                    results[serial] = .status(.notAccessible)
                }
            }
            return DeviceListResponse(devices: results)
        }
    }

    /// `POST /devices/disown` (dep-api §3.5): releases the server's devices from the
    /// organisation, if the portal allowed this server to; otherwise 403 `ACCESS_DENIED`.
    public func disown(session: String?, serials: [String]) async throws -> DeviceStatusResponse {
        let server = try await server(forSession: session)
        let serials = try Self.serialList(serials, required: true)
        guard server.mayDisown else { throw DEPError(.accessDenied) }
        let now = self.now
        let fault = DeviceFault.current
        return try await store.write { db in
            var results = DeviceResults<DeviceResultStatus>()
            for serial in serials where results[serial] == nil {
                if let forced = fault?.result(for: serial) {
                    results[serial] = forced
                    continue
                }
                guard try device(serial, onServer: server.id, db) != nil else {
                    results[serial] = .notAccessible
                    continue
                }
                try EventLog.appendDeleted(serial: serial, server: server.id, at: now, db)
                let audit = try AuditLog(db, at: now, by: .mdmServer(server.name))
                try audit.record(.deviceUnassignedFromServer, serial: serial, server: server.name)
                try audit.record(.deviceRemovedFromOrg, serial: serial)
                try db.execute(
                    sql: "UPDATE devices SET \(Self.unassignment), released = ? WHERE serial = ?",
                    arguments: [now, serial])
                results[serial] = .success
            }
            return DeviceStatusResponse(devices: results)
        }
    }

    /// `POST /device/activationlock` (dep-api §3.11): locks a device of this server once;
    /// Apple TV and Vision devices cannot be locked this way.
    public func activationLock(session: String?, _ request: ActivationLockRequest) async throws
        -> ActivationLockStatusResponse
    {
        let server = try await server(forSession: session)
        guard let serial = request.device, !serial.isEmpty else { throw DEPError(.deviceIDRequired) }
        return try await store.write { db in
            let status: ActivationLockStatus
            if let device = try device(serial, onServer: server.id, db) {
                if device.family == DeviceFamily.appleTV.rawValue || device.family == DeviceFamily.vision.rawValue {
                    status = .deviceNotSupported
                } else if device.activationLocked {
                    status = .deviceAlreadyLocked
                } else {
                    try db.execute(
                        sql: "UPDATE devices SET activation_locked = 1 WHERE serial = ?", arguments: [serial])
                    status = .success
                }
            } else {
                status = .notAccessible
            }
            return ActivationLockStatusResponse(serialNumber: serial, responseStatus: status)
        }
    }

    /// `GET /device/replacementDetails?device=…` (dep-api §3.12, v10+): 400 `DEVICE_NOT_FOUND`
    /// (as the live service answers) unless the device is a replacement on this server; before
    /// v10 the endpoint does not exist (404).
    public func replacementDetails(session: String?, serial: String?, version: ProtocolVersion) async throws
        -> ReplacementDetails
    {
        let server = try await server(forSession: session)
        guard version.hasReplacementDetails else { throw DEPError(.notFound) }
        guard let serial, !serial.isEmpty else { throw DEPError(.deviceIDRequired) }
        let device = try await store.read { db in try self.device(serial, onServer: server.id, db) }
        guard let device, let original = device.originalSerial, let date = device.replacementDate else {
            throw DEPError(.deviceNotFound, status: 400)
        }
        return ReplacementDetails(
            serialNumber: serial, originalDeviceSerialNumber: original, replacementDate: Date(unixSeconds: date))
    }
}
