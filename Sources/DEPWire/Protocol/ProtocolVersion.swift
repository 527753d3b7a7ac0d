/// A value of `X-Server-Protocol-Version` and what it carries (dep-api §2.7).
///
/// This is the one place that knows which fields and values each version has: the server shapes
/// its answers with it and the agent asks it what to expect. An absent or unreadable header is
/// version 1; values above the newest known behave as the newest (clamped, as Apple does).
public struct ProtocolVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let number: Int

    /// The newest version whose changes we implement.
    public static let newest = ProtocolVersion(10)
    /// What a request without the header gets.
    public static let baseline = ProtocolVersion(1)

    /// A version, clamped to 1...newest.
    public init(_ number: Int) {
        self.number = min(max(number, 1), 10)
    }

    /// Reads the header value; `nil` or text that is not a positive integer is version 1.
    public init(header: String?) {
        guard let header, let number = Int(header.trimmingSpaces), number > 0 else {
            self = .baseline
            return
        }
        self.init(number)
    }

    public var description: String { String(number) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.number < rhs.number }

    /// Device `os` and `device_family`; profile `auto_advance_setup`, `await_device_configured`,
    /// `is_multi_user`, `support_email_address`.
    public var hasDeviceFamily: Bool { number >= 2 }
    /// AccountDetail `org_id`, `org_id_hash`, `org_type`, `org_version`, `urls`.
    public var hasOrganisationDetails: Bool { number >= 3 }
    /// iPads report `os` `iPadOS` (was `iOS`).
    public var hasIPadOS: Bool { number >= 7 }
    /// Device `mdm_migration_deadline`.
    public var hasMigrationDeadline: Bool { number >= 8 }
    /// Assign may answer `THROTTLED` per device (before: `FAILED`).
    public var hasThrottledStatus: Bool { number >= 9 }
    /// Assign `retry_after_seconds`; device identifiers (`eid`, MACs, `imei`, `meid`),
    /// replacement flags, and `GET /device/replacementDetails`.
    public var hasReplacementDetails: Bool { number >= 10 }
}

extension String {
    fileprivate var trimmingSpaces: Substring { Substring(self).trimmingASCIIWhitespace() }
}
