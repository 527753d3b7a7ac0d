import DEPWire
import HTTPTypes
import Hummingbird

/// Tells every answer of a world's surfaces (Apple's DEP API, the portal, the device side) the
/// world's business time, in `X-FakeDEP-Now` (RFC 3339), so a test sees the time its world's
/// dates were made at. Refusals carry it too: it sits outside the error rendering. Control
/// routes under `/_fakedep/` answer with their own times instead.
struct WorldTimeHeader: RouterMiddleware {
    static let name = HTTPField.Name("X-FakeDEP-Now")!

    func handle(
        _ request: Request, context: FakeDEPContext,
        next: (Request, FakeDEPContext) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        if !request.uri.path.hasPrefix("/_fakedep/"), let world = try? context.world {
            response.headers[Self.name] = DEPDate.format(world.clock.now)
        }
        return response
    }
}
