extension World {
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
