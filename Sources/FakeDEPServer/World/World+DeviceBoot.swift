public import DEPWire
public import Foundation
import GRDB

/// What a device learns when it powers on and asks Apple for its activation record
/// (dep-api §7.2): its cloud configuration, or that it gets no remote management.
public enum DeviceBoot: Hashable, Sendable {
    case managed(ActivationRecord)
    case unmanaged(NoRemoteManagement)
}

/// The record a managed device receives, and where it now stands.
public struct ActivationRecord: Hashable, Sendable {
    public var serial: String
    /// The name of the MDM server the device is assigned to.
    public var server: String
    public var profileUUID: String
    public var configuration: CloudConfiguration
    /// The device's `profile_push_time`: when it fetched this record.
    public var pushTime: Date
    /// For a device added with Apple Configurator, the end of the 30 days in which its user may
    /// still remove it from the organisation (peers §6); nil for any other device.
    public var provisionalUntil: Date?
}

/// Why a device sets up as a personal device, with no Remote Management pane (dep-api §7.2).
public struct NoRemoteManagement: Hashable, Sendable {
    /// A stable, machine-readable reason.
    public enum Reason: String, Hashable, Sendable {
        /// The device is on no MDM server.
        case notAssigned = "not_assigned"
        /// The organisation released the device.
        case released
        /// The device's server has not assigned it a profile.
        case noProfile = "no_profile"
        /// The device's server removed its profile.
        case profileRemoved = "profile_removed"
    }

    public var reason: Reason
    /// What happened and what would change it, in words.
    public var message: String
}

extension PortalError.Code {
    /// A stored profile the device side cannot turn into a cloud configuration.
    public static let invalidProfile = PortalError.Code(rawValue: "INVALID_PROFILE")
}

extension World {
    /// A device powers on and fetches its activation record (dep-api §7.2). A device with an
    /// assigned profile receives it as a cloud configuration and becomes `pushed` with
    /// `profile_push_time` now, and its server's log gets a `modified` event (§7.3, §9), all in
    /// one transaction; booting again fetches again. A device added with Apple Configurator
    /// goes on to enroll, so its first such fetch starts its 30-day provisional period (peers
    /// §6). Any other device gets no remote management and nothing changes. An unknown serial is
    /// 404 `NOT_FOUND`.
    public func bootDevice(serial text: String) async throws -> DeviceBoot {
        let serial = try Self.deviceSerial(text)
        let now = self.now
        return try await store.write { db in
            var device = try Self.organisationDevice(serial, db)
            guard let serverID = device.serverID else {
                return .unmanaged(Self.unassigned(device))
            }
            let server =
                try String.fetchOne(db, sql: "SELECT name FROM servers WHERE id = ?", arguments: [serverID]) ?? ""
            guard let uuid = device.profileUUID, device.profileStatus == .assigned || device.profileStatus == .pushed
            else {
                return .unmanaged(Self.withoutProfile(device, server: server))
            }
            let configuration = try cloudConfiguration(profile: uuid, db)
            device.profileStatus = .pushed
            device.profilePushTime = now
            if device.purchaseSource == Self.configuratorPurchaseSource, device.provisionalUntil == nil {
                device.provisionalUntil = now + Self.provisionalPeriod
            }
            try db.execute(
                sql: """
                    UPDATE devices SET profile_status = 'pushed', profile_push_time = ?, provisional_until = ?
                    WHERE serial = ?
                    """,
                arguments: [now, device.provisionalUntil, serial])
            try EventLog.append(.modified, for: device, server: serverID, at: now, db)
            return .managed(
                ActivationRecord(
                    serial: serial, server: server, profileUUID: uuid, configuration: configuration,
                    pushTime: Date(unixSeconds: now),
                    provisionalUntil: device.provisionalUntil.map(Date.init(unixSeconds:))
                ))
        }
    }

    /// The serial a simulated device names itself by, read as the portal reads serials.
    static func deviceSerial(_ text: String) throws -> String {
        guard let serial = SerialNumber.normalized(text) else {
            throw PortalError(.invalidSerial, "\"\(text)\" is not a serial number (8–20 letters and digits).")
        }
        return serial
    }

    /// The organisation's device `serial` (released ones included); 404 `NOT_FOUND` if none.
    static func organisationDevice(_ serial: String, _ db: Database) throws -> InventoryDevice {
        let statement = try db.cachedStatement(sql: "SELECT \(InventoryDevice.columns) FROM devices WHERE serial = ?")
        guard let row = try Row.fetchOne(statement, arguments: [serial]) else {
            throw PortalError(
                .notFound,
                "No device with serial \(serial) belongs to the organisation; list them with `fakedep devices`.")
        }
        return InventoryDevice(row: row)
    }

    /// The cloud configuration of stored profile `uuid`, with the organisation's details.
    private func cloudConfiguration(profile uuid: String, _ db: Database) throws -> CloudConfiguration {
        guard let body = try String.fetchOne(db, sql: "SELECT body FROM profiles WHERE uuid = ?", arguments: [uuid])
        else {
            throw PortalError(.invalidProfile, "The device's profile \(uuid) is no longer stored.")
        }
        let organisation = try organisation(db)
        do {
            return try CloudConfiguration(
                profile: try DEPJSON.decode(Profile.self, from: body),
                organization: .init(
                    name: organisation.name, address: organisation.address, email: organisation.email,
                    phone: organisation.phone))
        } catch let error as CloudConfiguration.InvalidCertificate {
            throw PortalError(
                .invalidProfile, "The device's profile \(uuid) cannot be delivered: \(error); define a corrected one.")
        }
    }

    private static func unassigned(_ device: InventoryDevice) -> NoRemoteManagement {
        if device.released != nil {
            return NoRemoteManagement(
                reason: .released,
                message: "\(device.serial) was released from the organisation, so it sets up as a personal device.")
        }
        return NoRemoteManagement(
            reason: .notAssigned,
            message: """
                \(device.serial) is not assigned to any MDM server, so it sets up as a personal device; \
                assign it with `fakedep assign --server NAME --serial \(device.serial)`.
                """)
    }

    private static func withoutProfile(_ device: InventoryDevice, server: String) -> NoRemoteManagement {
        if device.profileStatus == .removed {
            return NoRemoteManagement(
                reason: .profileRemoved,
                message: """
                    MDM server "\(server)" removed \(device.serial)'s profile, so it sets up as a personal device; \
                    the MDM assigns one again with PUT /profile/devices.
                    """)
        }
        return NoRemoteManagement(
            reason: .noProfile,
            message: """
                \(device.serial) is assigned to MDM server "\(server)" but has no profile, so it sets up as a \
                personal device; the MDM assigns one with POST /profile or PUT /profile/devices.
                """)
    }
}
