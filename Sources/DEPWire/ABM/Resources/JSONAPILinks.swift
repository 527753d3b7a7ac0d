/// A resource's own link (`ResourceLinks`) or a document's (`DocumentLinks`): `self`.
public struct SelfLinks: Codable, Hashable, Sendable {
    public var selfLink: String?

    public init(self link: String?) { selfLink = link }

    enum CodingKeys: String, CodingKey { case selfLink = "self" }
}

/// The links of a paged list (`PagedDocumentLinks`): `next` only while more pages exist.
public struct PagedDocumentLinks: Codable, Hashable, Sendable {
    public var selfLink: String
    public var first: String?
    public var next: String?

    public init(self link: String, first: String? = nil, next: String? = nil) {
        selfLink = link
        self.first = first
        self.next = next
    }

    enum CodingKeys: String, CodingKey { case selfLink = "self", first, next }
}

/// The links of a relationship (`RelationshipLinks`): the linkage document and the related one.
public struct RelationshipLinks: Codable, Hashable, Sendable {
    public var selfLink: String?
    public var related: String?

    public init(self link: String? = nil, related: String? = nil) {
        selfLink = link
        self.related = related
    }

    enum CodingKeys: String, CodingKey { case selfLink = "self", related }
}

/// A relationship of a resource as Apple lists it: links only, no data.
public struct Relationship: Codable, Hashable, Sendable {
    public var links: RelationshipLinks?

    public init(links: RelationshipLinks?) { self.links = links }
}

/// A page's `meta` (`PagingInformation`): `limit` always, `nextCursor` while more pages exist.
public struct PagingInformation: Codable, Hashable, Sendable {
    public struct Paging: Codable, Hashable, Sendable {
        public var limit: Int
        public var nextCursor: String?
        public var total: Int?

        public init(limit: Int, nextCursor: String? = nil, total: Int? = nil) {
            self.limit = limit
            self.nextCursor = nextCursor
            self.total = total
        }
    }

    public var paging: Paging

    public init(limit: Int, nextCursor: String? = nil, total: Int? = nil) {
        paging = Paging(limit: limit, nextCursor: nextCursor, total: total)
    }
}
