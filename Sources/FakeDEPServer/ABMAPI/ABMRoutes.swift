import DEPWire
import Foundation
import Hummingbird

/// Apple's Business and School Manager API under `/v1/` (peers §5.3): devices, device
/// management services, device activities and audit events, each route a translation to
/// `World`, for the API account whose bearer token `ABMAccessMiddleware` let through.
struct ABMRoutes {
    func add(to router: Router<FakeDEPContext>) {
        let api = router.group("/v1").add(middleware: ABMErrorMiddleware()).add(middleware: ABMAccessMiddleware())
        addDeviceRoutes(to: api)
        addServerRoutes(to: api)
        addActivityRoutes(to: api)
        api.get("auditEvents") { request, context in
            let call = ABMCall(request)
            let paging = try call.paging(list: AuditEvent.resourceType)
            let start = try Self.timestamp(call, "filter[startTimestamp]")
            let end = try Self.timestamp(call, "filter[endTimestamp]")
            let page = try await context.world.auditEvents(from: start, to: end, paging)
            return try ABMCall.json(Self.list(page.items, page, paging, call))
        }
        // A CSV log stands for Apple's pre-signed download: no credentials, the activity id
        // (unguessable) finds the world (`WorldSelection`).
        router.get("/activity-logs/:file") { request, context in
            let file = try context.parameters.require("file")
            guard file.hasSuffix(".csv") else { throw HTTPError(.notFound) }
            let log = try await context.world.activityLog(String(file.dropLast(4)))
            return Response(
                status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: log)))
        }
    }

    private func addDeviceRoutes(to api: RouterGroup<FakeDEPContext>) {
        api.get("orgDevices") { request, context in
            let call = ABMCall(request)
            let paging = try call.paging(list: OrgDevice.resourceType)
            let fields = try call.fields(OrgDevice.resourceType, known: OrgDevice.Attributes.fieldNames)
            let page = try await context.world.orgDevices(paging)
            let devices = page.items.map { Self.decorated($0, fields: fields, call) }
            return try ABMCall.json(Self.list(devices, page, paging, call))
        }
        api.get("orgDevices/:id") { request, context in
            let call = ABMCall(request)
            let fields = try call.fields(OrgDevice.resourceType, known: OrgDevice.Attributes.fieldNames)
            let device = try await context.world.orgDevice(try Self.id(context))
            return try ABMCall.json(
                ABMDocument(data: Self.decorated(device, fields: fields, call), links: SelfLinks(self: call.selfLink)))
        }
        api.get("orgDevices/:id/appleCareCoverage") { request, context in
            let call = ABMCall(request)
            let coverage = try await context.world.appleCareCoverage(of: try Self.id(context))
            return try ABMCall.json(
                ABMListDocument(
                    data: coverage, links: PagedDocumentLinks(self: call.selfLink),
                    meta: PagingInformation(limit: ABMPaging.defaultLimit)))
        }
        api.get("orgDevices/:id/relationships/assignedServer") { request, context in
            let call = ABMCall(request)
            let id = try Self.id(context)
            let server = try await context.world.assignedServer(of: id)
            return try ABMCall.json(
                LinkageDocument(
                    data: server.map { ResourceLinkage(type: MdmServer.resourceType, id: $0.id) },
                    links: Self.assignedServerLinks(id, call)))
        }
        api.get("orgDevices/:id/assignedServer") { request, context in
            let call = ABMCall(request)
            let server = try await context.world.assignedServer(of: try Self.id(context))
            return try ABMCall.json(
                ABMDocument(
                    data: server.map { Self.decorated($0, fields: nil, call) }, links: SelfLinks(self: call.selfLink)))
        }
    }

    private func addServerRoutes(to api: RouterGroup<FakeDEPContext>) {
        api.get("mdmServers") { request, context in
            let call = ABMCall(request)
            let paging = try call.paging(list: MdmServer.resourceType)
            let fields = try call.fields(MdmServer.resourceType, known: MdmServer.Attributes.fieldNames)
            let page = try await context.world.mdmServers(paging)
            return try ABMCall.json(
                Self.list(page.items.map { Self.decorated($0, fields: fields, call) }, page, paging, call))
        }
        api.post("mdmServers") { request, context in
            let call = ABMCall(request)
            let body = try await call.body(MdmServerRequest.self)
            let server = try await context.world.createMdmServer(try Self.change(body, id: nil))
            return try ABMCall.json(
                ABMDocument(
                    data: Self.decorated(server, fields: nil, call),
                    links: SelfLinks(self: call.link("/v1/mdmServers/\(server.id)"))),
                status: .created)
        }
        api.get("mdmServers/:id") { request, context in
            let call = ABMCall(request)
            let fields = try call.fields(MdmServer.resourceType, known: MdmServer.Attributes.fieldNames)
            let server = try await context.world.mdmServer(try Self.id(context))
            return try ABMCall.json(
                ABMDocument(data: Self.decorated(server, fields: fields, call), links: SelfLinks(self: call.selfLink)))
        }
        api.patch("mdmServers/:id") { request, context in
            let call = ABMCall(request)
            let id = try Self.id(context)
            let body = try await call.body(MdmServerRequest.self)
            let server = try await context.world.changeMdmServer(id, try Self.change(body, id: id))
            return try ABMCall.json(
                ABMDocument(data: Self.decorated(server, fields: nil, call), links: SelfLinks(self: call.selfLink)))
        }
        api.delete("mdmServers/:id") { _, context in
            try await context.world.deleteMdmServer(try Self.id(context))
            return Response(status: .noContent)
        }
        api.get("mdmServers/:id/relationships/devices") { request, context in
            let call = ABMCall(request)
            let id = try Self.id(context)
            let paging = try call.paging(list: "devices-of-" + id)
            let page = try await context.world.serverDevices(id, paging)
            return try ABMCall.json(
                LinkageListDocument(
                    data: page.items.map { ResourceLinkage(type: OrgDevice.resourceType, id: $0) },
                    links: PagedDocumentLinks(
                        self: call.selfLink, next: call.nextLink(cursor: page.nextCursor, limit: paging.limit)),
                    meta: PagingInformation(limit: paging.limit, nextCursor: page.nextCursor)))
        }
    }

    private func addActivityRoutes(to api: RouterGroup<FakeDEPContext>) {
        api.post("orgDeviceActivities") { request, context in
            let call = ABMCall(request)
            let body = try await call.body(OrgDeviceActivityCreateRequest.self)
            guard body.data.type == OrgDeviceActivity.resourceType else {
                throw ABMError.invalidAttribute("/data/type", "The type is '\(OrgDeviceActivity.resourceType)'.")
            }
            for (index, device) in body.data.relationships.devices.data.enumerated()
            where device.type != OrgDevice.resourceType {
                throw ABMError.invalidRelationship(
                    "/data/relationships/devices/data/\(index)/type", "A device's type is 'orgDevices'.")
            }
            let state = try await context.world.createActivity(
                DeviceActivityRequest(
                    type: body.data.attributes.activityType, serials: body.data.relationships.devices.data.map(\.id),
                    server: body.data.relationships.mdmServer?.data.id,
                    deadline: body.data.attributes.activityTypeMetadata?.mdmMigrationDeadlineDateTime?.date),
                by: try context.requireABMAccess())
            return try ABMCall.json(
                ABMDocument(data: Self.decorated(state, call), links: SelfLinks(self: call.selfLink)), status: .created)
        }
        api.get("orgDeviceActivities/:id") { request, context in
            let call = ABMCall(request)
            let state = try await context.world.activity(try Self.id(context))
            return try ABMCall.json(
                ABMDocument(data: Self.decorated(state, call), links: SelfLinks(self: call.selfLink)))
        }
    }

    /// The `:id` path parameter, percent-decoded.
    static func id(_ context: FakeDEPContext) throws -> String {
        let raw = try context.parameters.require("id")
        return raw.removingPercentEncoding ?? raw
    }

    /// A required ISO 8601 filter: 400 when missing or no date.
    private static func timestamp(_ call: ABMCall, _ name: String) throws -> Date {
        guard let text = call.query(name) else { throw ABMError.missingParameter(name) }
        guard let date = ABMDateTime.parse(text) else {
            throw ABMError.invalidParameter(name, "'\(text)' is not an ISO 8601 date and time.")
        }
        return date
    }

    /// A page as a list document.
    private static func list<Item: Codable & Hashable & Sendable, Source>(
        _ items: [Item], _ page: ABMPage<Source>, _ paging: ABMPaging, _ call: ABMCall
    ) -> ABMListDocument<Item> {
        ABMListDocument(
            data: items,
            links: PagedDocumentLinks(
                self: call.selfLink, next: call.nextLink(cursor: page.nextCursor, limit: paging.limit)),
            meta: PagingInformation(limit: paging.limit, nextCursor: page.nextCursor))
    }

    private static func assignedServerLinks(_ serial: String, _ call: ABMCall) -> RelationshipLinks {
        RelationshipLinks(
            self: call.link("/v1/orgDevices/\(serial)/relationships/assignedServer"),
            related: call.link("/v1/orgDevices/\(serial)/assignedServer"))
    }

    /// A device with its links, and only the attributes `fields` names.
    private static func decorated(_ device: OrgDevice, fields: Set<String>?, _ call: ABMCall) -> OrgDevice {
        var device = device
        if let fields { device.attributes = device.attributes?.restricted(to: fields) }
        device.relationships = OrgDevice.Relationships(
            assignedServer: Relationship(links: assignedServerLinks(device.id, call)),
            appleCareCoverage: Relationship(
                links: RelationshipLinks(related: call.link("/v1/orgDevices/\(device.id)/appleCareCoverage"))))
        device.links = SelfLinks(self: call.link("/v1/orgDevices/\(device.id)"))
        return device
    }

    /// A server with its links, and only the attributes `fields` names.
    private static func decorated(_ server: MdmServer, fields: Set<String>?, _ call: ABMCall) -> MdmServer {
        var server = server
        if let fields { server.attributes = server.attributes?.restricted(to: fields) }
        server.relationships = MdmServer.Relationships(
            devices: Relationship(
                links: RelationshipLinks(self: call.link("/v1/mdmServers/\(server.id)/relationships/devices"))))
        return server
    }

    /// An activity with its link, and its log's once completed.
    private static func decorated(_ state: DeviceActivityState, _ call: ABMCall) -> OrgDeviceActivity {
        var activity = state.resource
        if state.completed != nil { activity.attributes?.downloadUrl = call.link("/activity-logs/\(state.id).csv") }
        activity.links = SelfLinks(self: call.link("/v1/orgDeviceActivities/\(state.id)"))
        return activity
    }

    /// A create or update body as a change: the certificate's base64 decoded (a bad one is 409
    /// at its pointer), an update's id checked against the path's.
    private static func change(_ body: MdmServerRequest, id: String?) throws -> MdmServerChange {
        guard body.data.type == MdmServer.resourceType else {
            throw ABMError.invalidAttribute("/data/type", "The type is '\(MdmServer.resourceType)'.")
        }
        if let id, let sent = body.data.id, sent.uppercased() != id.uppercased() {
            throw ABMError.invalidAttribute("/data/id", "The id '\(sent)' is not the id of the path, '\(id)'.")
        }
        let attributes = body.data.attributes
        var der: Data?
        if let certificate = attributes.serverCertificate {
            guard let text = certificate.data, let bytes = Data(base64Encoded: text, options: .ignoreUnknownCharacters)
            else {
                throw ABMError.invalidAttribute(
                    "/data/attributes/serverCertificate/data", "serverCertificate.data is not base64 DER X.509.")
            }
            der = bytes
        }
        return MdmServerChange(
            name: attributes.serverName, certificate: der, mayDisown: attributes.enableMdmDisownFlag,
            defaultFamilies: attributes.defaultProductFamilies)
    }
}
