import Foundation
import Hummingbird

/// `POST /portal/configurator/devices`: devices prepared with Apple Configurator.
struct ConfiguratorAddRequest: Decodable {
    var serials: [String]
    /// A catalogue product type (`iPhone17,3`) or model name (`iPhone 16`).
    var model: String
    /// The MDM server (name or uuid) to assign the devices to at once.
    var server: String?
}

extension PortalRoutes {
    /// Apple Configurator's part (peers §6): adding devices to the organisation, the products it
    /// can add, and a device leaving during its provisional period.
    func addConfiguratorRoutes(to portal: RouterGroup<FakeDEPContext>) {
        portal.post("configurator/devices") { request, context in
            let body = try await Self.body(ConfiguratorAddRequest.self, of: request)
            return try Self.json(
                PortalReport(
                    try await context.world.addWithConfigurator(
                        serials: body.serials, model: body.model, server: body.server)))
        }
        portal.get("configurator/models") { _, context in try Self.json(try context.world.configuratorModels()) }
        portal.post("devices/:serial/release-provisional") { _, context in
            let serial = try context.parameters.require("serial")
            return try Self.json(
                PortalReport(
                    try await context.world.releaseProvisional(serial: serial.removingPercentEncoding ?? serial)))
        }
    }
}
