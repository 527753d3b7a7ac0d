/// A resource's type and id, as a relationship names it (`{"type": "mdmServers", "id": …}`).
public struct ResourceLinkage: Codable, Hashable, Sendable {
    public var type: String
    public var id: String

    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }
}

/// A to-one linkage document (`…/relationships/assignedServer`): `data` is `null` when there is
/// no related resource.
public struct LinkageDocument: Codable, Hashable, Sendable {
    public var data: ResourceLinkage?
    public var links: RelationshipLinks

    public init(data: ResourceLinkage?, links: RelationshipLinks) {
        self.data = data
        self.links = links
    }

    enum CodingKeys: String, CodingKey { case data, links }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // JSON:API writes an empty to-one relationship as `null`, not as a missing member.
        if let data { try container.encode(data, forKey: .data) } else { try container.encodeNil(forKey: .data) }
        try container.encode(links, forKey: .links)
    }
}

/// A page of a to-many linkage document (`/v1/mdmServers/{id}/relationships/devices`).
public struct LinkageListDocument: Codable, Hashable, Sendable {
    public var data: [ResourceLinkage]
    public var links: PagedDocumentLinks
    public var meta: PagingInformation?

    public init(data: [ResourceLinkage], links: PagedDocumentLinks, meta: PagingInformation?) {
        self.data = data
        self.links = links
        self.meta = meta
    }
}
