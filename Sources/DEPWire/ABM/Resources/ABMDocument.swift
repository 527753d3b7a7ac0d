/// A JSON:API document holding one resource (`OrgDeviceResponse`, `MdmServerResponse`,
/// `OrgDeviceActivityResponse`): `data` and the document's `self` link.
public struct ABMDocument<Resource: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    public var data: Resource
    public var links: SelfLinks

    public init(data: Resource, links: SelfLinks) {
        self.data = data
        self.links = links
    }
}

/// A JSON:API document holding one page of a list (`OrgDevicesResponse`, `MdmServersResponse`):
/// `data`, `links` with `next` while more pages exist, and `meta.paging`.
public struct ABMListDocument<Resource: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    public var data: [Resource]
    public var links: PagedDocumentLinks
    public var meta: PagingInformation?

    public init(data: [Resource], links: PagedDocumentLinks, meta: PagingInformation?) {
        self.data = data
        self.links = links
        self.meta = meta
    }

    /// The cursor of the next page, from `meta.paging.nextCursor`; `nil` on the last page.
    public var nextCursor: String? { meta?.paging.nextCursor }
}
