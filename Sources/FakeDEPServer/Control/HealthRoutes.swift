import Hummingbird

/// `GET /_fakedep/health`: answers once the server listens, for a test harness or a CI service
/// check to wait on.
struct HealthRoutes {
    func add(to control: RouterGroup<FakeDEPContext>) {
        control.get("health") { _, _ in
            try PortalRoutes.json(["status": "ok", "version": FakeDEPVersion.current])
        }
    }
}
