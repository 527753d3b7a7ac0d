import DEPWire
import Foundation
import Hummingbird

/// The web portal: HTML pages for an administrator and a test author, at `/` and under `/web/`
/// (each world's under `/_fakedep/worlds/{id}/web/`).
///
/// Pages only read: they call the same `World` operations as the JSON routes and render them.
/// Every action a page offers is a form that `portal.js` sends to the JSON route that already
/// does it (`/portal/…`, `/_fakedep/…`), so no rule is written twice and an error reads in that
/// route's own words.
struct WebRoutes {
    let worlds: WorldRegistry

    /// How many of the newest orders a page suggests; any order number may still be typed in.
    static let recentOrderCount = 50

    /// Whether `path` is a page or asset of the portal.
    static func isWebPath(_ path: some StringProtocol) -> Bool {
        path == "/" || path == "/web" || path.hasPrefix("/web/")
    }

    func add(to router: Router<FakeDEPContext>) {
        router.get("/") { _, context in try await overview(context) }
        router.get("/web") { _, context in try await overview(context) }
        router.get("/web/assets/:file") { _, context in try Self.asset(context) }
        addServerPages(to: router)
        addDevicePages(to: router)
        addAssignPages(to: router)
        addConfiguratorPages(to: router)
        addAPIAccountPages(to: router)
        addControlPages(to: router)
    }

    /// Renders a page, or the error page if reading what it shows failed (a server or device
    /// that does not exist, say).
    func page(
        _ template: String, _ title: String, _ section: WebSection, _ context: FakeDEPContext,
        content: () async throws -> Any
    ) async throws -> Response {
        do {
            return try WebPage.response(
                template, title: title, section: section, content: try await content(), context: context,
                worlds: worlds)
        } catch let error as PortalError {
            return try WebPage.response(
                "error", title: "Not available", section: section,
                content: ["code": error.code.rawValue, "message": error.message], context: context, worlds: worlds,
                status: HTTPResponse.Status(code: error.code.status))
        }
    }

    private static func asset(_ context: FakeDEPContext) throws -> Response {
        let name = try context.parameters.require("file")
        guard let data = WebTemplates.assets[name] else { throw HTTPError(.notFound) }
        let type =
            switch (name as NSString).pathExtension {
            case "css": "text/css; charset=utf-8"
            case "js": "text/javascript; charset=utf-8"
            case "svg": "image/svg+xml"
            default: "application/octet-stream"
            }
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-cache", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
