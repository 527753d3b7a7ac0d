import DEPWire
import Foundation
import Hummingbird

extension WebRoutes {
    /// Apple Configurator's page: the products it can add, and the devices it added that may
    /// still leave by themselves.
    struct ConfiguratorPage {
        struct ModelGroup {
            let family: String
            let models: [WebOption]
        }

        struct ProvisionalRow {
            let serial: String
            let path: String
            let href: String
            let description: String
            let server: String?
            /// `2027-01-04 (12 days left)`, or when the period starts.
            let period: String
        }

        let models: [ModelGroup]
        let servers: [WebOption]
        let devices: [ProvisionalRow]
    }

    func addConfiguratorPages(to router: Router<FakeDEPContext>) {
        router.get("/web/configurator") { _, context in
            try await page("configurator", "Apple Configurator", .configurator, context) {
                try await configuratorPage(context)
            }
        }
    }

    private func configuratorPage(_ context: FakeDEPContext) async throws -> ConfiguratorPage {
        let world = try context.world
        let base = context.webBase ?? ""
        let now = world.clock.now
        let models = try world.configuratorModels()
        let families = models.map(\.family).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        // Devices Configurator added are its orders' devices (purchase source MANUALLY_ADDED).
        var devices: [ConfiguratorPage.ProvisionalRow] = []
        for order in try await world.recentOrders(limit: 1000, source: World.configuratorPurchaseSource) {
            let found = try await world.listDevices(DeviceFilter(order: order.number), limit: 1000)
            for device in found.devices where device.status != "released" {
                let period = device.provisionalUntil.map { WebFormat.deadline($0, now: now) }
                devices.append(
                    ConfiguratorPage.ProvisionalRow(
                        serial: device.serialNumber, path: WebFormat.segment(device.serialNumber),
                        href: base + "/web/devices/" + WebFormat.segment(device.serialNumber),
                        description: device.description, server: device.server,
                        period: period ?? "30 days from when it enrolls"))
            }
        }
        return ConfiguratorPage(
            models: families.map { family in
                ConfiguratorPage.ModelGroup(
                    family: family,
                    models: models.filter { $0.family == family }.map {
                        WebOption(value: $0.productType, label: "\($0.model) (\($0.productType))", selected: false)
                    })
            },
            servers: try await world.listServers().map { WebOption(value: $0.uuid, label: $0.name, selected: false) },
            devices: devices.sorted { $0.serial < $1.serial })
    }
}
