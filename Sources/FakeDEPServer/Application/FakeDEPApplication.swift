public import Hummingbird
public import Logging

/// Builds the `fakedep` HTTP application: Apple's DEP API at the root, the portal under
/// `/portal/`, one log line per request, errors rendered per surface, every connection held to
/// `configuration.http`.
///
/// - Parameter onServerRunning: called with the bound port once the server listens (port 0 in
///   tests picks a free one).
public func buildApplication(
    world: World, configuration: FakeDEPConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: ControlCharacterGuard())
    router.add(middleware: RequestBodyMiddleware(limits: configuration.http))
    DEPRoutes(world: world).add(to: router)
    PortalRoutes(world: world).add(to: router)
    DeviceRoutes(world: world).add(to: router)
    return Application(
        router: router,
        server: GuardedHTTP1Channel.builder(limits: configuration.http),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}
