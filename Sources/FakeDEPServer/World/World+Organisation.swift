import Foundation

/// What an administrator says about a new organisation; everything but the name has a default.
public struct NewOrganisation: Sendable, Decodable {
    public var name: String
    public var email: String?
    public var phone: String?
    public var address: String?
    /// `org` (Apple Business Manager) or `edu` (Apple School Manager).
    public var orgType: String?
    /// The Apple Account of the administrator who issues tokens and assigns devices.
    public var adminID: String?
    public var termsSigned: Bool?

    public init(name: String) { self.name = name }

    enum CodingKeys: String, CodingKey {
        case name, email, phone, address, orgType = "org_type", adminID = "admin_id", termsSigned = "terms_signed"
    }
}

extension World {
    /// Sets up the organisation of a world that has none (one started without its mock data):
    /// `org_id`, its hash and the version are made here; `409 NAME_TAKEN` once one exists.
    public func createOrganisation(_ request: NewOrganisation) async throws -> OrganisationDetails {
        let name = request.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else {
            throw PortalError(.invalidRequest, "An organisation needs a name of 1 to 100 printable characters.")
        }
        let orgType = request.orgType ?? "org"
        guard ["org", "edu"].contains(orgType) else {
            throw PortalError(.invalidRequest, "org_type is \"org\" (business) or \"edu\" (school).")
        }
        let slug = String(
            name.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(
                Character.init))
        let domain = (slug.isEmpty ? "organisation" : slug) + ".example"
        var random = SystemRandomNumberGenerator()
        let organisation = Organisation(
            name: name, email: request.email ?? "it@\(domain)", phone: request.phone ?? "",
            address: request.address ?? "", orgID: String(Int.random(in: 1_000_000...9_999_999, using: &random)),
            orgIDHash: Hex.string((0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }),
            orgType: orgType, orgVersion: "v2", adminID: request.adminID ?? "admin@\(domain)",
            termsSigned: request.termsSigned ?? true)
        for (text, what) in [
            (organisation.name, "The name"), (organisation.email, "The email"), (organisation.phone, "The phone"),
            (organisation.address, "The address"), (organisation.adminID, "admin_id"),
        ] {
            try Self.requirePrintable(text, what)
        }
        return try await store.write { db in
            guard try Organisation.load(db) == nil else {
                throw PortalError(.nameTaken, "This world has an organisation already; each world has one.")
            }
            try organisation.save(db)
            return OrganisationDetails(organisation)
        }
    }

    /// The organisation as the portal shows it.
    public func organisationDetails() async throws -> OrganisationDetails {
        try await store.read { db in OrganisationDetails(try organisation(db)) }
    }

    /// Changes what the portal lets an administrator change: whether the latest terms are
    /// accepted (`false` makes every DEP call answer 403 `T_C_NOT_SIGNED`).
    public func changeOrganisation(termsSigned: Bool?) async throws -> OrganisationDetails {
        try await store.write { db in
            var organisation = try organisation(db)
            if let termsSigned { organisation.termsSigned = termsSigned }
            try organisation.save(db)
            return OrganisationDetails(organisation)
        }
    }
}

/// The organisation, as the portal shows it.
public struct OrganisationDetails: Codable, Sendable {
    public var name: String
    public var email: String
    public var phone: String
    public var address: String
    public var orgID: String
    public var orgType: String
    public var adminID: String
    public var termsSigned: Bool

    init(_ organisation: Organisation) {
        name = organisation.name
        email = organisation.email
        phone = organisation.phone
        address = organisation.address
        orgID = organisation.orgID
        orgType = organisation.orgType
        adminID = organisation.adminID
        termsSigned = organisation.termsSigned
    }

    enum CodingKeys: String, CodingKey {
        case name, email, phone, address, orgID = "org_id", orgType = "org_type", adminID = "admin_id"
        case termsSigned = "terms_signed"
    }
}
