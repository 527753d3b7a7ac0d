#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The body of `POST /server/devices` (dep-api §3.2): both keys optional; `{}` starts a fetch.
public struct FetchDeviceRequest: Codable, Hashable, Sendable {
    public var cursor: String?
    public var limit: Int?

    public init(cursor: String? = nil, limit: Int? = nil) {
        self.cursor = cursor
        self.limit = limit
    }
}

/// The body of `POST /devices/sync` (dep-api §3.3): the cursor is required by the service, so a
/// missing one decodes (and the server answers `CURSOR_REQUIRED`) rather than failing to parse.
public struct SyncDeviceRequest: Codable, Hashable, Sendable {
    public var cursor: String?
    public var limit: Int?

    public init(cursor: String?, limit: Int? = nil) {
        self.cursor = cursor
        self.limit = limit
    }
}

/// A fetch or sync page (dep-api §3.2, §3.3), keys in Apple's order.
public struct FetchDeviceResponse: Codable, Hashable, Sendable {
    public var devices: [Device]?
    public var fetchedUntil: Date
    public var moreToFollow: Bool
    public var cursor: String

    enum CodingKeys: String, CodingKey {
        case devices
        case fetchedUntil = "fetched_until"
        case moreToFollow = "more_to_follow"
        case cursor
    }

    public init(devices: [Device]?, fetchedUntil: Date, moreToFollow: Bool, cursor: String) {
        self.devices = devices
        self.fetchedUntil = fetchedUntil
        self.moreToFollow = moreToFollow
        self.cursor = cursor
    }
}
