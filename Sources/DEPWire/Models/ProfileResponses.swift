/// The answer of `POST /profile` (dep-api §3.6).
public struct DefineProfileResponse: Codable, Hashable, Sendable {
    public var profileUUID: String
    /// Present when the request listed devices.
    public var devices: DeviceResults<DeviceResultStatus>?

    enum CodingKeys: String, CodingKey {
        case profileUUID = "profile_uuid"
        case devices
    }

    public init(profileUUID: String, devices: DeviceResults<DeviceResultStatus>? = nil) {
        self.profileUUID = profileUUID
        self.devices = devices
    }
}

/// The body of `PUT`/`POST /profile/devices` (assign, dep-api §3.8).
public struct ProfileServiceRequest: Codable, Hashable, Sendable {
    public var profileUUID: String?
    public var devices: [String]?

    enum CodingKeys: String, CodingKey {
        case profileUUID = "profile_uuid"
        case devices
    }

    public init(profileUUID: String?, devices: [String]?) {
        self.profileUUID = profileUUID
        self.devices = devices
    }
}

/// The answer of assign (dep-api §3.8); `retry_after_seconds` appears (v10+) when a device
/// is `THROTTLED`.
public struct AssignProfileResponse: Codable, Hashable, Sendable {
    public var profileUUID: String
    public var devices: DeviceResults<DeviceResultStatus>
    public var retryAfterSeconds: Int?

    enum CodingKeys: String, CodingKey {
        case profileUUID = "profile_uuid"
        case devices
        case retryAfterSeconds = "retry_after_seconds"
    }

    public init(profileUUID: String, devices: DeviceResults<DeviceResultStatus>, retryAfterSeconds: Int? = nil) {
        self.profileUUID = profileUUID
        self.devices = devices
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// The body of `DELETE /profile/devices` (remove, dep-api §3.9); `profile_uuid` is optional and
/// unused by the service.
public struct ClearProfileRequest: Codable, Hashable, Sendable {
    public var devices: [String]?
    public var profileUUID: String?

    enum CodingKeys: String, CodingKey {
        case devices
        case profileUUID = "profile_uuid"
    }

    public init(devices: [String]?, profileUUID: String? = nil) {
        self.devices = devices
        self.profileUUID = profileUUID
    }
}

/// The answer of remove (dep-api §3.9).
public struct ClearProfileResponse: Codable, Hashable, Sendable {
    public var devices: DeviceResults<DeviceResultStatus>

    public init(devices: DeviceResults<DeviceResultStatus>) { self.devices = devices }
}
