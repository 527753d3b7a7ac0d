/// A per-device outcome in define, assign, remove, disown and details responses (dep-api §5.2).
public struct DeviceResultStatus: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let success = DeviceResultStatus(rawValue: "SUCCESS")
    /// The serial is not assigned to this MDM server (unknown serials too).
    public static let notAccessible = DeviceResultStatus(rawValue: "NOT_ACCESSIBLE")
    /// An unexpected or temporary failure; retry later.
    public static let failed = DeviceResultStatus(rawValue: "FAILED")
    /// Assign only, v9+: try again after `retry_after_seconds` (v10+).
    public static let throttled = DeviceResultStatus(rawValue: "THROTTLED")
}

/// The outcome of an activation-lock request (dep-api §3.11).
public struct ActivationLockStatus: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let success = ActivationLockStatus(rawValue: "SUCCESS")
    public static let notAccessible = ActivationLockStatus(rawValue: "NOT_ACCESSIBLE")
    public static let orgNotSupported = ActivationLockStatus(rawValue: "ORG_NOT_SUPPORTED")
    public static let deviceNotSupported = ActivationLockStatus(rawValue: "DEVICE_NOT_SUPPORTED")
    public static let deviceAlreadyLocked = ActivationLockStatus(rawValue: "DEVICE_ALREADY_LOCKED")
    public static let failed = ActivationLockStatus(rawValue: "FAILED")
}
