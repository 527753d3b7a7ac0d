#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A fetch or sync page as read, with the bytes it was read from when they are plain JSON
/// (`FetchDeviceResponse.readKeepingBytes`): a page handed on as the service sent it is
/// spliced, not encoded again.
public struct ReceivedPage: Sendable {
    public var page: FetchDeviceResponse
    /// The page's bytes, strict RFC 8259 JSON in UTF-8 that reads as `page`; nil when the page
    /// was not read from such bytes.
    public var json: Data?

    public init(page: FetchDeviceResponse, json: Data? = nil) {
        self.page = page
        self.json = json
    }
}
