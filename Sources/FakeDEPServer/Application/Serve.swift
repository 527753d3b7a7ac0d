import Hummingbird
public import Logging

/// Runs a `fakedep` server until SIGINT or SIGTERM: opens its worlds (seeding the mock
/// organisation into an empty store unless told not to) and serves every surface on one port,
/// over HTTPS when `configuration.tls` says so.
///
/// - Parameter onServerRunning: called with the bound port once the server listens.
public func serve(
    _ configuration: FakeDEPConfiguration, clock: any TimeSource = SystemTimeSource(), logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws {
    let identity = try configuration.tlsIdentity()
    let worlds = try await WorldRegistry.open(configuration, clock: clock, logger: logger)
    let app = buildApplication(
        worlds: worlds, configuration: configuration, identity: identity, logger: logger,
        onServerRunning: onServerRunning)
    try await app.runService()
}
