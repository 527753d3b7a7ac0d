import Foundation
import Hummingbird

extension WebRoutes {
    /// What the overview shows: the organisation, its devices counted, its servers, the clock.
    struct Overview {
        struct FamilyRow {
            let family: String
            let assigned: String
            let unassigned: String
            let released: String
            let total: String
            let href: String
        }

        let organisation: OrganisationDetails?
        let families: [FamilyRow]
        let total: String
        let servers: [ServerRow]
    }

    func overview(_ context: FakeDEPContext) async throws -> Response {
        try await page("overview", "Overview", .overview, context) {
            let world = try context.world
            let base = context.webBase ?? ""
            guard try await world.hasOrganisation() else {
                return Overview(organisation: nil, families: [], total: "0", servers: [])
            }
            let counts = try await world.deviceCounts()
            let families = Dictionary(grouping: counts, by: \.family).sorted { $0.key < $1.key }.map { family, rows in
                func count(_ status: String) -> Int { rows.first { $0.status == status }?.count ?? 0 }
                return Overview.FamilyRow(
                    family: family, assigned: WebFormat.count(count("assigned")),
                    unassigned: WebFormat.count(count("unassigned")), released: WebFormat.count(count("released")),
                    total: WebFormat.count(rows.reduce(0) { $0 + $1.count }),
                    href: base + "/web/devices?family=" + WebFormat.segment(family))
            }
            return Overview(
                organisation: try await world.organisationDetails(), families: families,
                total: WebFormat.count(counts.reduce(0) { $0 + $1.count }),
                servers: try await world.listServers().map { ServerRow($0, base: base, now: world.clock.now) })
        }
    }
}
