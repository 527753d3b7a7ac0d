import DEPWire
import Foundation
import Hummingbird

/// The portal an administrator uses (deploy.apple.com / Apple Business Manager), as JSON over
/// HTTP under `/portal/`: MDM servers, keys and tokens, assignment, inventory (dep-api §1, §8).
struct PortalRoutes {

    func add(to router: Router<FakeDEPContext>) {
        let portal = router.group("/portal")
        portal.get("organisation") { _, context in try Self.json(try await context.world.organisationDetails()) }
        portal.post("organisation") { request, context in
            let body = try await Self.body(NewOrganisation.self, of: request)
            return try Self.json(try await context.world.createOrganisation(body), status: .created)
        }
        portal.patch("organisation") { request, context in
            let body = try await Self.body(OrganisationChange.self, of: request)
            return try Self.json(try await context.world.changeOrganisation(termsSigned: body.termsSigned))
        }
        addServerRoutes(to: portal)
        addAssignmentRoutes(to: portal)
        addInventoryRoutes(to: portal)
        addConfiguratorRoutes(to: portal)
        addDeviceChangeRoutes(to: portal)
        addAPIAccountRoutes(to: portal)
    }

    private func addServerRoutes(to portal: RouterGroup<FakeDEPContext>) {
        portal.get("servers") { _, context in try Self.json(try await context.world.listServers()) }
        portal.post("servers") { request, context in
            let body = try await Self.body(NewServer.self, of: request)
            let summary = try await context.world.createServer(
                name: body.name, certificate: body.certificate.map { Data($0.utf8) }, mayDisown: body.mayDisown ?? false
            )
            return try Self.json(summary, status: .created)
        }
        portal.get("servers/:server") { _, context in
            try Self.json(try await context.world.showServer(try Self.server(context)))
        }
        portal.delete("servers/:server") { _, context in
            try await context.world.deleteServer(try Self.server(context))
            return Response(status: .noContent)
        }
        portal.put("servers/:server/certificate") { request, context in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            return try Self.json(
                try await context.world.uploadCertificate(Data(buffer: bytes), to: try Self.server(context)))
        }
        portal.get("servers/:server/token") { _, context in
            let token = try await context.world.downloadToken(try Self.server(context))
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"",
                    .contentDisposition: ContentDisposition.attachment(fileName: token.fileName),
                ],
                body: .init(byteBuffer: ByteBuffer(string: token.contents)))
        }
        // The families (ABM names) whose new devices go to this server by default.
        portal.get("servers/:server/default-families") { _, context in
            try Self.json(
                DefaultFamilies(families: try await context.world.defaultFamilies(of: try Self.server(context))))
        }
        portal.put("servers/:server/default-families") { request, context in
            let body = try await Self.body(DefaultFamilies.self, of: request)
            return try Self.json(
                DefaultFamilies(
                    families: try await context.world.setDefaultFamilies(body.families, of: try Self.server(context))))
        }
        portal.delete("servers/:server/token") { _, context in
            try await context.world.revokeToken(try Self.server(context))
            return Response(status: .noContent)
        }
    }

    private func addAssignmentRoutes(to portal: RouterGroup<FakeDEPContext>) {
        // Reports are written to a file as the transaction produces them and streamed from it, so
        // a 2,000,000-line action holds neither its input nor its report in memory.
        portal.post("servers/:server/devices") { request, context in
            let server = try Self.server(context)
            let body = try await Self.body(AssignmentRequest.self, of: request)
            let report = try ReportFile(.json)
            switch (body.serials, body.order) {
            case (let serials?, nil): try await context.world.assign(.serials(serials), to: server, into: report)
            case (nil, let order?):
                try await context.world.assign(order: order, count: body.count, to: server, into: report)
            default:
                throw PortalError(
                    .invalidRequest, "Send either \"serials\" (a list) or \"order\" (with an optional \"count\").")
            }
            return try report.response()
        }
        // The CSV upload is kept in a file as it arrives, then read by the transaction in chunks.
        portal.post("servers/:server/devices/csv") { request, context in
            let server = try Self.server(context)
            let upload = try await UploadFile.receive(request.body)
            let report = try ReportFile(.csv)
            try await context.world.assign(.csvFile(upload.url), to: server, into: report)
            return try report.response()
        }
        portal.post("devices/unassign") { request, context in
            let body = try await Self.body(SerialList.self, of: request)
            let report = try ReportFile(.json)
            try await context.world.unassign(.serials(body.serials), into: report)
            return try report.response()
        }
        portal.post("devices/release") { request, context in
            let body = try await Self.body(SerialList.self, of: request)
            let report = try ReportFile(.json)
            try await context.world.release(.serials(body.serials), into: report)
            return try report.response()
        }
    }

    private func addInventoryRoutes(to portal: RouterGroup<FakeDEPContext>) {
        portal.get("devices") { request, context in
            let query = request.uri.queryParameters
            let filter = DeviceFilter(
                server: query.get("server"), order: query.get("order"), family: query.get("family"),
                status: query.get("status"), serialPrefix: query.get("serial"))
            let limit = try query.get("limit").map { text in
                guard let value = Int(text) else { throw PortalError(.invalidRequest, "limit must be a number.") }
                return value
            }
            return try Self.json(
                try await context.world.listDevices(filter, limit: limit ?? 100, after: query.get("after")))
        }
        portal.get("orders") { _, context in try Self.json(try await context.world.listOrders()) }
        portal.post("seed") { request, context in
            let body = try await Self.body(SeedRequest.self, of: request)
            let result = try await context.world.seed(deviceCount: body.devices, seed: body.seed ?? 1)
            return try Self.json(SeedResult(orders: result.orders, devices: result.devices))
        }
    }

    /// The `:server` path parameter (a name or uuid), percent-decoded.
    static func server(_ context: FakeDEPContext) throws -> String {
        let raw = try context.parameters.require("server")
        return raw.removingPercentEncoding ?? raw
    }

    /// Decodes a JSON body, or refuses it with a portal error naming the problem.
    ///
    /// - Parameter emptyIsObject: read an empty body as `{}` (for actions whose fields are all optional).
    static func body<T: Decodable>(_ type: T.Type, of request: Request, emptyIsObject: Bool = false) async throws -> T {
        try decode(type, from: try await request.body.collect(upTo: 64 << 20), emptyIsObject: emptyIsObject)
    }

    /// `buffer` decoded as the JSON `T`, or `400 INVALID_REQUEST`.
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer, emptyIsObject: Bool = false) throws -> T {
        do {
            let data = emptyIsObject && buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer: buffer)
            return try DEPJSON.decode(type, from: data)
        } catch let error as PortalError {
            throw error
        } catch {
            throw PortalError(.invalidRequest, "The request body is not the JSON this action takes: \(error)")
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: try DEPJSON.encodeString(value))))
    }
}
