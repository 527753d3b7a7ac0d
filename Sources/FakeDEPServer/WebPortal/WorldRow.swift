import Foundation

/// A world as a row of the test control page's table.
struct WorldRow {
    let id: String
    let name: String
    let seed: String
    let created: String
    /// Where its pages are: `/web/` for the default world.
    let pagesHref: String
    /// Where its JSON routes are (`/_fakedep/worlds/{id}`), for its reset, delete and snapshot.
    let apiPrefix: String
    let isCurrent: Bool
    let isDefault: Bool

    init(_ world: WorldSummary, currentID: String) {
        id = world.id
        name = world.name
        seed = Self.describe(world.seed)
        created = WebFormat.time(world.created)
        isDefault = world.id == WorldRegistry.defaultID
        apiPrefix = WorldPath.prefix + WebFormat.segment(world.id)
        pagesHref = (isDefault ? "" : apiPrefix) + "/web/"
        isCurrent = world.id == currentID
    }

    /// What a world was made from, in words.
    private static func describe(_ seed: WorldSeed) -> String {
        switch seed {
        case .mock: "the mock organisation"
        case .generated(let devices, let seed): "\(WebFormat.count(devices)) generated devices (seed \(seed))"
        case .empty: "the mock organisation, no devices"
        case .none: "nothing"
        case .snapshot: "a snapshot"
        case .scenario: "a scenario"
        }
    }
}
