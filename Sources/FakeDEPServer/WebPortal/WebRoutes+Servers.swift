import DEPWire
import Foundation
import Hummingbird

/// An MDM server as a row of a table.
struct ServerRow {
    let name: String
    let uuid: String
    let href: String
    let devices: String
    let certificate: String?
    /// `expires 2027-12-05`, `expired 2026-01-01` or nil without a token.
    let token: String?
    let tokenExpired: Bool

    init(_ server: MDMServerSummary, base: String, now: Date) {
        name = server.name
        uuid = server.uuid
        href = base + "/web/servers/" + WebFormat.segment(server.name)
        devices = WebFormat.count(server.deviceCount)
        certificate = server.certificateSubject ?? (server.hasCertificate ? "(no common name)" : nil)
        let expired = server.tokenExpiry.map { $0 <= now } ?? false
        tokenExpired = expired
        token = server.tokenExpiry.map { (expired ? "expired " : "expires ") + WebFormat.day($0) }
    }
}

extension WebRoutes {
    /// A server's page: what it is, its devices, and what may be done to it.
    struct ServerPage {
        let server: ServerRow
        let mayDisown: Bool
        /// The server as its JSON routes name it (`/portal/servers/{path}`).
        let path: String
        let devices: [DeviceRow]
        let moreDevices: String?
        /// Every product family, marked where this server is its default.
        let families: [FamilyChoice]
    }

    struct FamilyChoice {
        let value: String
        let selected: Bool
    }

    func addServerPages(to router: Router<FakeDEPContext>) {
        router.get("/web/servers") { _, context in
            try await page("servers", "MDM servers", .servers, context) {
                let world = try context.world
                return [
                    "servers": try await world.listServers().map {
                        ServerRow($0, base: context.webBase ?? "", now: world.clock.now)
                    }
                ]
            }
        }
        router.get("/web/servers/:server") { _, context in
            let reference = try PortalRoutes.server(context)
            return try await page("server", reference, .servers, context) {
                let world = try context.world
                let base = context.webBase ?? ""
                let server = try await world.showServer(reference)
                let devices = try await world.listDevices(DeviceFilter(server: server.uuid), limit: 50)
                let defaults = try await world.defaultFamilies(of: server.uuid)
                return ServerPage(
                    server: ServerRow(server, base: base, now: world.clock.now), mayDisown: server.mayDisown,
                    path: WebFormat.segment(server.uuid), devices: devices.devices.map { DeviceRow($0, base: base) },
                    moreDevices: devices.next == nil
                        ? nil : base + "/web/devices?server=" + WebFormat.segment(server.name),
                    families: World.defaultableFamilies.map {
                        FamilyChoice(value: $0, selected: defaults.contains($0))
                    })
            }
        }
    }
}

/// A device as a row of a table.
struct DeviceRow {
    let serial: String
    let href: String
    let description: String
    let family: String
    let order: String
    let status: String
    let server: String?
    let profileStatus: String

    init(_ device: PortalDevice, base: String) {
        serial = device.serialNumber
        href = base + "/web/devices/" + WebFormat.segment(device.serialNumber)
        description = device.description
        family = device.family
        order = device.orderNumber
        status = device.status
        server = device.server
        profileStatus = device.profileStatus.rawValue
    }
}
