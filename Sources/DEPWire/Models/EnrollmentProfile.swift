#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The enrollment profile an MDM answers a device's MachineInfo with
/// (`application/x-apple-aspen-config`, dep-api §7.4): a configuration profile whose payloads
/// include the MDM payload. Read only as far as a device shows it before installing it.
public struct EnrollmentProfile: Decodable, Hashable, Sendable {
    /// The MIME type Setup Assistant expects for the profile.
    public static let contentType = "application/x-apple-aspen-config"

    /// One payload of the profile.
    public struct Payload: Decodable, Hashable, Sendable {
        /// e.g. `com.apple.mdm`, `com.apple.security.scep`, `com.apple.security.pkcs12`.
        public var type: String
        public var identifier: String?
        public var displayName: String?
        /// The MDM payload's check-in and command URLs and push topic.
        public var serverURL: String?
        public var checkInURL: String?
        public var topic: String?

        enum CodingKeys: String, CodingKey {
            case type = "PayloadType", identifier = "PayloadIdentifier", displayName = "PayloadDisplayName"
            case serverURL = "ServerURL", checkInURL = "CheckInURL", topic = "Topic"
        }
    }

    /// Why bytes are not an enrollment profile, in words.
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// `Configuration` for a profile.
    public var type: String
    public var identifier: String
    public var displayName: String?
    public var organization: String?
    public var payloads: [Payload]

    /// The MDM payload, which makes the profile an enrollment.
    public var mdm: Payload? { payloads.first { $0.type == "com.apple.mdm" } }

    enum CodingKeys: String, CodingKey {
        case type = "PayloadType", identifier = "PayloadIdentifier", displayName = "PayloadDisplayName"
        case organization = "PayloadOrganization", payloads = "PayloadContent"
    }

    /// Reads a profile's property list (XML or binary, already out of any CMS signature).
    /// Throws `Invalid` unless it is a `Configuration` profile.
    public init(propertyList data: Data) throws(Invalid) {
        do {
            self = try PropertyListDecoder().decode(Self.self, from: data)
        } catch {
            throw Invalid(description: "the answer is not a configuration profile property list (\(error))")
        }
        guard type == "Configuration" else {
            throw Invalid(description: "the profile's PayloadType is \"\(type)\", not \"Configuration\"")
        }
    }
}
