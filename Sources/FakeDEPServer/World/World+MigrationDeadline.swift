import DEPWire
public import Foundation
import GRDB

/// A device's managed-migration deadline, as the portal answers it.
public struct MigrationDeadline: Codable, Sendable, Hashable {
    public var serialNumber: String
    /// `nil` once cleared.
    public var migrationDeadline: Date?

    enum CodingKeys: String, CodingKey {
        case serialNumber = "serial_number", migrationDeadline = "migration_deadline"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(serialNumber, forKey: .serialNumber)
        // Written as null once cleared, so the answer says so rather than leaving it out.
        if let migrationDeadline {
            try container.encode(migrationDeadline, forKey: .migrationDeadline)
        } else {
            try container.encodeNil(forKey: .migrationDeadline)
        }
    }
}

extension World {
    /// Sets (or with `nil` clears) the deadline by which a device must migrate to another MDM
    /// server, as an administrator does in the portal; the device record carries it as
    /// `mdm_migration_deadline` from protocol v8 (dep-api §2.7, §3.10). The deadline is kept in
    /// whole seconds. A change is a `modified` event on the device's server, so its sync sees it.
    public func setMigrationDeadline(_ text: String, to deadline: Date?) async throws -> MigrationDeadline {
        let serial = try Self.requireSerial(text, "A serial number")
        let seconds = deadline?.unixSeconds
        let now = self.now
        return try await store.write { db in
            try setMigrationDeadline(of: try requireDevice(serial, db), to: seconds, at: now, db)
            return MigrationDeadline(serialNumber: serial, migrationDeadline: seconds.map(Date.init(unixSeconds:)))
        }
    }

    /// Sets `device`'s deadline (whole seconds, `nil` to clear) within the caller's transaction.
    func setMigrationDeadline(of device: InventoryDevice, to seconds: Int64?, at now: Int64, _ db: Database) throws {
        guard device.migrationDeadline != seconds else { return }
        var device = device
        try db.execute(
            sql: "UPDATE devices SET migration_deadline = ?, updated = ? WHERE serial = ?",
            arguments: [seconds, now, device.serial])
        device.migrationDeadline = seconds
        if let server = device.serverID {
            try EventLog.append(.modified, for: device, server: server, at: now, db)
        }
    }
}
