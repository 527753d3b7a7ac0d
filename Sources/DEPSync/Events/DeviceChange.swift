public import DEPWire

/// One device whose state in the agent's store changed, with its record before and after.
public struct DeviceChange: Sendable, Hashable, Encodable {
    /// How the device changed.
    public enum Kind: String, Sendable, Hashable, Encodable {
        /// New to the store, or back after a removal.
        case added
        /// Present before and after, with some of Apple's fields changed.
        case modified
        /// No longer this server's: deleted in sync, or absent from a completed full fetch.
        case removed
    }

    public var serialNumber: String
    public var change: Kind
    /// The enrollment status after the change.
    public var enrollmentStatus: EnrollmentStatus
    /// The enrollment status before it, for a device the store had.
    public var previousEnrollmentStatus: EnrollmentStatus?
    /// Of a modified device, Apple's fields that changed (wire names; `op_type` and `op_date`
    /// describe the operation, not the device, and are not counted).
    public var changedFields: [String]?
    /// Apple's fields as stored before the change; absent for a device new to the store.
    public var before: Device?
    /// Apple's fields as stored after the change.
    public var after: Device

    enum CodingKeys: String, CodingKey {
        case serialNumber = "serial_number"
        case change
        case enrollmentStatus = "enrollment_status"
        case previousEnrollmentStatus = "previous_enrollment_status"
        case changedFields = "changed_fields"
        case before
        case after
    }

    /// The change from `before` (nil for a device new to the store) to `after`.
    init(_ change: Kind, before: LocalDevice?, after: LocalDevice) {
        self.serialNumber = after.serialNumber
        self.change = change
        self.enrollmentStatus = after.enrollmentStatus
        self.previousEnrollmentStatus = before?.enrollmentStatus
        self.before = before?.device
        self.after = after.device
        if change == .modified, let before {
            changedFields = DeviceColumns.changedFields(from: before.device, to: after.device)
        }
    }
}
