/// The body of every failed Apple Business/School Manager API call (ABM schema
/// `ErrorResponse.json`, peers §5.4): `{"errors": [{id, status, code, title, detail, source}]}`.
public struct ErrorResponse: Codable, Sendable, Hashable {
    public var errors: [Item]

    public init(errors: [Item]) {
        self.errors = errors
    }

    /// A response with one error.
    public init(_ item: Item) {
        self.init(errors: [item])
    }

    /// One error.
    public struct Item: Codable, Sendable, Hashable {
        /// The id of this occurrence, for a report to Apple.
        public var id: String?
        /// The HTTP status, as a string (`"401"`).
        public var status: String
        /// Machine-readable and dotted from general to specific (`ENTITY_ERROR.ATTRIBUTE.INVALID`).
        public var code: String
        /// A summary, not for programs.
        public var title: String
        /// What went wrong in this request, not for programs.
        public var detail: String
        public var source: Source?

        public init(id: String? = nil, status: Int, code: String, title: String, detail: String, source: Source? = nil)
        {
            self.id = id
            self.status = String(status)
            self.code = code
            self.title = title
            self.detail = detail
            self.source = source
        }
    }

    /// What in the request caused the error: exactly one of a JSON pointer into the body or a
    /// query parameter (the schema's `oneOf`).
    public enum Source: Codable, Sendable, Hashable {
        case pointer(String)
        case parameter(String)

        private enum CodingKeys: String, CodingKey {
            case pointer, parameter
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let pointer = try container.decodeIfPresent(String.self, forKey: .pointer) {
                self = .pointer(pointer)
            } else {
                self = .parameter(try container.decode(String.self, forKey: .parameter))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .pointer(let pointer): try container.encode(pointer, forKey: .pointer)
            case .parameter(let parameter): try container.encode(parameter, forKey: .parameter)
            }
        }
    }
}
