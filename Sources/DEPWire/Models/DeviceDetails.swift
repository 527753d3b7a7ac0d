/// A list of serial numbers: the body of device details and disown (dep-api §3.4, §3.5).
public struct DeviceListRequest: Codable, Hashable, Sendable {
    public var devices: [String]

    public init(devices: [String]) { self.devices = devices }

    /// Reads `{"devices": …}`; a missing key is an empty list (the service answers `DEVICE_ID_REQUIRED`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        devices = try container.decodeIfPresent([String].self, forKey: .devices) ?? []
    }
}

/// The answer of `POST /devices`: each requested serial with its record and `response_status`.
public struct DeviceListResponse: Codable, Hashable, Sendable {
    public var devices: DeviceResults<DeviceDetailsResult>

    public init(devices: DeviceResults<DeviceDetailsResult>) { self.devices = devices }
}

/// One value of a device-details answer, in the two shapes Apple sends (dep-api §3.4): the
/// device record with `response_status`, or, for a serial the server cannot see, only
/// `{"response_status": "NOT_ACCESSIBLE"}`.
public enum DeviceDetailsResult: Codable, Hashable, Sendable {
    case device(Device)
    case status(DeviceResultStatus)

    /// The per-device outcome.
    public var responseStatus: DeviceResultStatus {
        switch self {
        case .device(let device): device.responseStatus ?? .success
        case .status(let status): status
        }
    }

    /// The record, when the server could see the device.
    public var device: Device? {
        if case .device(let device) = self { device } else { nil }
    }

    private enum CodingKeys: String, CodingKey {
        case serialNumber = "serial_number"
        case responseStatus = "response_status"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.serialNumber) {
            self = .device(try Device(from: decoder))
        } else {
            self = .status(try container.decode(DeviceResultStatus.self, forKey: .responseStatus))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .device(let device):
            try device.encode(to: encoder)
        case .status(let status):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .responseStatus)
        }
    }
}

/// The answer of `POST /devices/disown`: one status per serial (dep-api §3.5).
public struct DeviceStatusResponse: Codable, Hashable, Sendable {
    public var devices: DeviceResults<DeviceResultStatus>

    public init(devices: DeviceResults<DeviceResultStatus>) { self.devices = devices }
}
