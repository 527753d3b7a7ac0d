import DEPWire

/// `POST /portal/servers`.
struct NewServer: Decodable {
    var name: String
    /// A PEM certificate.
    var certificate: String?
    var mayDisown: Bool?

    enum CodingKeys: String, CodingKey {
        case name, certificate, mayDisown = "may_disown"
    }
}

/// `POST /portal/servers/:server/devices`: serials, or an order (and how many of it).
struct AssignmentRequest: Decodable {
    var serials: [String]?
    var order: String?
    var count: Int?
}

/// A list of serials to unassign or release.
struct SerialList: Decodable {
    var serials: [String]
}

/// `POST /portal/seed`.
struct SeedRequest: Decodable {
    var devices: Int
    var seed: UInt64?
}

struct SeedResult: Codable {
    var orders: Int
    var devices: Int
}

/// `PATCH /portal/organisation`.
struct OrganisationChange: Decodable {
    var termsSigned: Bool?

    enum CodingKeys: String, CodingKey {
        case termsSigned = "terms_signed"
    }
}

/// A portal action's per-line report as JSON: counts by outcome, then the lines. The server
/// writes it; the `fakedep` commands and the tests read it.
public struct PortalReport: Codable, Sendable {
    /// One line of the report.
    public struct Line: Codable, Equatable, Sendable {
        public var line: Int
        public var serial: String
        public var outcome: String
        public var detail: String?
    }

    public var counts: [String: Int]
    public var lines: [Line]

    init(_ report: AssignmentReport) {
        counts = Dictionary(uniqueKeysWithValues: report.counts.map { ($0.key.rawValue, $0.value) })
        lines = report.rows.map {
            Line(
                line: $0.line, serial: $0.serial, outcome: $0.outcome.rawValue,
                detail: $0.detail.isEmpty ? nil : $0.detail)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // Counts in the outcome vocabulary's order, so the bytes are the same every time.
        try container.encode(
            DeviceResults(
                AssignmentOutcome.allCases.compactMap { outcome in
                    counts[outcome.rawValue].map { (outcome.rawValue, $0) }
                }), forKey: .counts)
        try container.encode(lines, forKey: .lines)
    }

    enum CodingKeys: String, CodingKey { case counts, lines }
}

/// The product families (the ABM API's names) a server is the default MDM server of.
struct DefaultFamilies: Codable, Sendable {
    var families: [String]
}
