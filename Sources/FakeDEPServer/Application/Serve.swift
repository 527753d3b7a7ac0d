import Foundation
import Hummingbird
public import Logging

/// Runs a `fakedep` server until SIGINT or SIGTERM: opens the world, seeds the mock
/// organisation into an empty store (unless told not to) and serves every surface on one port.
///
/// - Parameter onServerRunning: called with the bound port once the server listens.
public func serve(
    _ configuration: FakeDEPConfiguration, clock: any TimeSource = SystemTimeSource(), logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws {
    let world = try await World(databasePath: configuration.databasePath, clock: clock, settings: configuration.world)
    if configuration.seedMockData, try await world.seedMockOrganisationIfEmpty() {
        logger.info("seeded the mock organisation", metadata: ["db": "\(configuration.databasePath)"])
    }
    let directory = configuration.worldsDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
    let worlds = WorldRegistry(
        defaultWorld: world, defaultSeed: configuration.seedMockData ? .mock : .none, settings: configuration.world,
        directory: directory, journalSize: configuration.journalSize, makeClock: { [clock] in clock })
    if directory != nil {
        let reopened = try await worlds.reopenKeptWorlds()
        if reopened > 0 { logger.info("reopened worlds", metadata: ["count": "\(reopened)"]) }
    }
    let app = buildApplication(
        worlds: worlds, configuration: configuration, logger: logger, onServerRunning: onServerRunning)
    try await app.runService()
}
