public import DEPWire
public import Foundation

/// A device in the agent's store: Apple's record as of the latest operation applied, and what
/// the agent knows about it.
public struct LocalDevice: Sendable, Hashable {
    /// Apple's fields (`op_type`/`op_date` are those of the latest operation applied).
    public var device: Device
    public var firstSeen: Date
    /// When the device stopped being this server's, if it did.
    public var removed: Date?
    /// The last per-device answer to a profile assignment by this agent (`SUCCESS`, `THROTTLED`…).
    public var assignResult: String?

    public var serialNumber: String { device.serialNumber }
    public var enrollmentStatus: EnrollmentStatus {
        EnrollmentStatus(profileStatus: device.profileStatus, isRemoved: removed != nil)
    }
    public var profileState: ProfileState { ProfileState(device.profileStatus) }
}

extension LocalDevice: Encodable {
    private enum ExtraKeys: String, CodingKey {
        case enrollmentStatus = "enrollment_status"
        case profileState = "profile_state"
        case firstSeen = "first_seen"
        case removed
    }

    /// Apple's keys, then the agent's.
    public func encode(to encoder: any Encoder) throws {
        try device.encode(to: encoder)
        var container = encoder.container(keyedBy: ExtraKeys.self)
        try container.encode(enrollmentStatus, forKey: .enrollmentStatus)
        try container.encode(profileState, forKey: .profileState)
        try container.encode(firstSeen, forKey: .firstSeen)
        try container.encodeIfPresent(removed, forKey: .removed)
    }
}
