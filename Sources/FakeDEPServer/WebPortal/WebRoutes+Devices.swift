import DEPWire
import Foundation
import Hummingbird

/// A choice of a `<select>`.
struct WebOption {
    let value: String
    let label: String
    let selected: Bool
}

extension WebRoutes {
    /// The organisation's devices, a page at a time, as the filters choose them.
    struct DeviceList {
        let serial: String
        /// The order filtered on, as typed.
        let order: String
        let families: [WebOption]
        let orders: [WebOption]
        let servers: [WebOption]
        let statuses: [WebOption]
        let devices: [DeviceRow]
        let isFiltered: Bool
        /// The first page with the same filters, once past it.
        let firstPage: String?
        let nextPage: String?
    }

    /// The device list's filters, by query parameter, in the order its links write them.
    static let deviceFilterNames = ["serial", "family", "order", "server", "status"]

    func addDevicePages(to router: Router<FakeDEPContext>) {
        router.get("/web/devices") { request, context in
            try await page("devices", "Devices", .devices, context) {
                try await deviceList(WebQuery(request.uri.query), context)
            }
        }
        router.get("/web/devices/:serial") { _, context in
            let raw = try context.parameters.require("serial")
            let serial = raw.removingPercentEncoding ?? raw
            return try await page("device", serial, .devices, context) { try await deviceDetail(serial, context) }
        }
    }

    private func deviceList(_ chosen: WebQuery, _ context: FakeDEPContext) async throws -> DeviceList {
        let world = try context.world
        let base = context.webBase ?? ""
        let filter = DeviceFilter(
            server: chosen["server"], order: chosen["order"], family: chosen["family"], status: chosen["status"],
            serialPrefix: chosen["serial"])
        let found = try await world.listDevices(filter, limit: 100, after: chosen["after"])

        let filters = Self.deviceFilterNames.compactMap { name in chosen[name].map { (name, $0) } }
        func link(_ parameters: [(String, String)]) -> String {
            let query = parameters.map { $0 + "=" + WebFormat.segment($1) }.joined(separator: "&")
            return base + "/web/devices" + (query.isEmpty ? "" : "?" + query)
        }
        func options(_ values: [(value: String, label: String)], _ name: String) -> [WebOption] {
            values.map { WebOption(value: $0.value, label: $0.label, selected: $0.value == chosen[name]) }
        }
        // Every device is of a catalogue product, so the catalogue's families are the choices.
        let families = Catalog.families.sorted()
        return DeviceList(
            serial: chosen["serial"] ?? "", order: chosen["order"] ?? "",
            families: options(families.map { ($0, $0) }, "family"),
            orders: options(
                try await world.recentOrders(limit: Self.recentOrderCount).map {
                    ($0.number, "\($0.number) (\(WebFormat.count($0.deviceCount)))")
                },
                "order"),
            servers: options(try await world.listServers().map { ($0.name, $0.name) }, "server"),
            statuses: options(["assigned", "unassigned", "released"].map { ($0, $0) }, "status"),
            devices: found.devices.map { DeviceRow($0, base: base) }, isFiltered: !filters.isEmpty,
            firstPage: chosen["after"] == nil ? nil : link(filters),
            nextPage: found.next.map { link(filters + [("after", $0)]) })
    }
}
