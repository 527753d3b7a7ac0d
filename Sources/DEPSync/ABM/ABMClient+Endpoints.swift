public import DEPWire
public import Foundation

/// One method per endpoint of the API that `depsync abm` uses (peers §5.3). Lists are read
/// page by page, `limit=1000` (the most the API gives), following `links.next`.
extension ABMClient {
    /// The most a page holds.
    static let pageLimit = 1000

    /// Every page of the list at `path`, handed to `each` as it arrives.
    func pages<Resource>(
        _ path: String, as type: Resource.Type, _ each: (ABMListDocument<Resource>) async throws -> Void
    ) async throws -> Void {
        var next: String? = url(path)
        var seen: Set<String> = []
        while let page = next {
            // A `next` that repeats a page already read would loop for ever.
            guard seen.insert(page).inserted else { break }
            let document = try await get(page, as: ABMListDocument<Resource>.self)
            try await each(document)
            next = document.links.next
        }
    }

    /// The organisation's devices, page by page (released ones are left out by the service).
    public func devicePages(_ each: ([OrgDevice]) async throws -> Void) async throws {
        try await pages("/v1/orgDevices?limit=\(Self.pageLimit)", as: OrgDevice.self) { try await each($0.data) }
    }

    /// One device, released ones included; `nil` when the service knows no such serial.
    public func device(_ serial: String) async throws -> OrgDevice? {
        do {
            return try await get(
                url("/v1/orgDevices/" + PercentEncoding.encode(serial)), as: ABMDocument<OrgDevice>.self
            )
            .data
        } catch .refused(404, _) {
            return nil
        }
    }

    /// The organisation's MDM servers.
    public func servers() async throws -> [MdmServer] {
        var servers: [MdmServer] = []
        try await pages("/v1/mdmServers?limit=\(Self.pageLimit)", as: MdmServer.self) { servers += $0.data }
        return servers
    }

    /// The audit log from `start` to `end` (the service's times), page by page.
    public func auditEventPages(from start: Date, to end: Date, _ each: ([AuditEvent]) async throws -> Void)
        async throws
    {
        let query = [
            ("filter[startTimestamp]", ABMDateTime.format(start)), ("filter[endTimestamp]", ABMDateTime.format(end)),
            ("limit", String(Self.pageLimit)),
        ].map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }.joined(separator: "&")
        try await pages("/v1/auditEvents?" + query, as: AuditEvent.self) { try await each($0.data) }
    }

    /// Starts an activity: 201 with it `IN_PROGRESS`.
    public func createActivity(_ request: OrgDeviceActivityCreateRequest) async throws -> OrgDeviceActivity {
        let target = url("/v1/orgDeviceActivities")
        let body: Data
        do {
            body = try DEPJSON.encode(request)
        } catch {
            throw ABMClientError.malformedResponse(url: target, reason: "the request did not encode: \(error)")
        }
        let response = try await send("POST", target, body: body)
        return try decode(ABMDocument<OrgDeviceActivity>.self, from: response, url: target).data
    }

    /// An activity as it stands.
    public func activity(_ id: String) async throws -> OrgDeviceActivity {
        try await get(
            url("/v1/orgDeviceActivities/" + PercentEncoding.encode(id)), as: ABMDocument<OrgDeviceActivity>.self
        )
        .data
    }

    /// A completed activity's CSV log, from its pre-signed `downloadUrl` (sent no credentials).
    public func activityLog(_ downloadURL: String) async throws -> [ActivityLogRow] {
        ActivityLogRow.rows(in: try await download(downloadURL))
    }
}
