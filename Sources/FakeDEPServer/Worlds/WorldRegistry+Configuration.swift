import Foundation
public import Logging

extension WorldRegistry {
    /// The worlds a server with `configuration` serves, as `fakedep serve` and an in-process
    /// fakedep both open them: the default world from `databasePath`, planted with the mock
    /// organisation when its store is empty (unless `seedMockData` is off), and those an earlier
    /// run kept in `worldsDirectory`. Every world's business time runs over `clock`.
    public static func open(_ configuration: FakeDEPConfiguration, clock: any TimeSource, logger: Logger)
        async throws -> WorldRegistry
    {
        let world = try await World(
            databasePath: configuration.databasePath, clock: clock, settings: configuration.world)
        if configuration.scenario == nil, configuration.seedMockData, try await world.seedMockOrganisationIfEmpty() {
            logger.info("seeded the mock organisation", metadata: ["db": "\(configuration.databasePath)"])
        }
        let directory = configuration.worldsDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let worlds = WorldRegistry(
            defaultWorld: world, defaultSeed: configuration.seedMockData ? .mock : .none, settings: configuration.world,
            directory: directory, journalSize: configuration.journalSize, makeClock: { [clock] in clock })
        if let scenario = configuration.scenario {
            try await worlds.plantDefault(scenario)
            logger.info("set the default world up from the scenario", metadata: ["db": "\(configuration.databasePath)"])
        }
        let reopened = try await worlds.reopenKeptWorlds()
        if reopened > 0 { logger.info("reopened worlds", metadata: ["count": "\(reopened)"]) }
        return worlds
    }
}
