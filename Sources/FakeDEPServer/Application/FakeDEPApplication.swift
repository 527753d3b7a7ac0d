public import Hummingbird
public import Logging

/// Builds the `fakedep` HTTP application: Apple's DEP API at the root, the portal under
/// `/portal/`, the device side under `/device/`, test control under `/_fakedep/` (with each
/// world's portal and device side under `/_fakedep/worlds/{id}/`), one log line per request,
/// errors rendered per surface, every connection held to `configuration.http`.
///
/// - Parameters:
///   - identity: the certificate to serve HTTPS with (`configuration.tlsIdentity()`); plain HTTP
///     without one.
///   - onServerRunning: called with the bound port once the server listens (port 0 in tests
///     picks a free one).
public func buildApplication(
    worlds: WorldRegistry, configuration: FakeDEPConfiguration, identity: TLSIdentity? = nil, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    // A fakedep killed during an upload left its temporary file behind; its successor tidies it.
    UploadFile.removeLeftovers()
    let router = makeRouter(
        worlds: worlds, configuration: configuration, identity: identity)
    return Application(
        responder: WorldSelection(
            worlds: worlds, router: router.buildResponder(), adminGuard: configuration.adminToken.map(AdminGuard.init)),
        server: GuardedHTTP1Channel.builder(limits: configuration.http, tls: identity?.context),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// Every route of every surface, behind the middleware that logs, journals and renders errors:
/// what `buildApplication` serves, and what a test lists the routes of.
func makeRouter(
    worlds: WorldRegistry, configuration: FakeDEPConfiguration, identity: TLSIdentity? = nil
) -> Router<FakeDEPContext> {
    let router = Router(context: FakeDEPContext.self)
    router.add(middleware: RequestLogMiddleware(level: .info))
    router.add(middleware: WorldTimeHeader())
    router.add(middleware: JournalMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: HostGuard(names: configuration.serverNames(identity: identity)))
    if let token = configuration.adminToken { router.add(middleware: AdminGuard(token: token)) }
    // Behind the host and admin checks, which say nothing of the routes; before the checks of
    // what a request carries, which mean nothing for a method the path does not take.
    let routes = RouteMethods()
    router.add(middleware: MethodRefusal(routes: routes))
    router.add(middleware: OriginGuard())
    router.add(middleware: ContentTypeGuard())
    router.add(middleware: ControlCharacterGuard())
    router.add(middleware: RequestBodyMiddleware(limits: configuration.http))
    router.add(middleware: FaultMiddleware())
    DEPRoutes(scheme: identity == nil ? "http" : "https").add(to: router)
    PortalRoutes().add(to: router)
    ABMRoutes().add(to: router)
    DeviceRoutes().add(to: router)
    TokenRoutes().add(to: router)
    ControlRoutes(worlds: worlds).add(to: router)
    ClockRoutes(worlds: worlds).add(to: router)
    FaultRoutes(worlds: worlds).add(to: router)
    WebRoutes(worlds: worlds).add(to: router)
    SignInRoutes(token: configuration.adminToken, secure: configuration.tls != nil).add(to: router)
    routes.record(router)
    return router
}
