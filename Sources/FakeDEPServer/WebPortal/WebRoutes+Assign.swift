import Foundation
import Hummingbird

extension WebRoutes {
    /// The assignment page's choices: the servers and the orders.
    struct AssignPage {
        let servers: [WebOption]
        let hasServers: Bool
        let orders: [WebOption]
    }

    func addAssignPages(to router: Router<FakeDEPContext>) {
        router.get("/web/assign") { _, context in
            try await page("assign", "Assign", .assign, context) {
                let world = try context.world
                let servers = try await world.listServers().map {
                    WebOption(value: $0.uuid, label: $0.name, selected: false)
                }
                return AssignPage(
                    servers: servers, hasServers: !servers.isEmpty,
                    orders: try await world.recentOrders(limit: Self.recentOrderCount).map {
                        WebOption(
                            value: $0.number, label: "\($0.number) (\(WebFormat.count($0.deviceCount)) devices)",
                            selected: false)
                    })
            }
        }
    }
}
