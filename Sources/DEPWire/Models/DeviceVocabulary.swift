/// The operating system Apple reports for a device (`os`, dep-api §3.10; v2+).
///
/// Kept open (a raw-value struct, not an enum) so a client reading a value Apple adds later
/// still decodes the device.
public struct DeviceOS: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let iOS = DeviceOS(rawValue: "iOS")
    /// Reported for iPads from protocol version 7 on (before: `iOS`).
    public static let iPadOS = DeviceOS(rawValue: "iPadOS")
    public static let macOS = DeviceOS(rawValue: "OSX")
    public static let tvOS = DeviceOS(rawValue: "tvOS")
    public static let visionOS = DeviceOS(rawValue: "visionOS")
}

/// Apple's product family of a device (`device_family`, dep-api §3.10; v2+).
public struct DeviceFamily: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let iPad = DeviceFamily(rawValue: "iPad")
    public static let iPhone = DeviceFamily(rawValue: "iPhone")
    public static let iPod = DeviceFamily(rawValue: "iPod")
    public static let mac = DeviceFamily(rawValue: "Mac")
    public static let appleTV = DeviceFamily(rawValue: "AppleTV")
    public static let vision = DeviceFamily(rawValue: "Vision")
}

/// Where a device's enrollment profile stands (`profile_status`, dep-api §3.10, §9).
public enum ProfileStatus: String, Codable, Hashable, Sendable, CaseIterable {
    case empty
    case assigned
    case pushed
    case removed

    /// Reads the status; `""`, seen once from Apple, means `empty` (dep-api §3.10).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if text.isEmpty {
            self = .empty
        } else if let status = ProfileStatus(rawValue: text) {
            self = status
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown profile_status \(text)")
        }
    }
}

/// What a sync entry reports (`op_type`, dep-api §3.3).
public enum OperationType: String, Codable, Hashable, Sendable, CaseIterable {
    case added
    case modified
    case deleted
}
