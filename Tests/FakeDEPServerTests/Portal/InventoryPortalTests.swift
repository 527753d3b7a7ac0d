import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The organisation's inventory in the portal: the device list with its filters and paging,
/// orders, generated devices and the organisation itself.
struct InventoryPortalTests {
    // MARK: Filters

    @Test func theMockOrganisationHas82DevicesInSerialOrder() async throws {
        try await TestServer.with { server in
            let devices = try await server.portalDevices()
            #expect(devices.count == 82)
            #expect(devices.map(\.serialNumber) == devices.map(\.serialNumber).sorted())
            #expect(Set(devices.map(\.serialNumber)).count == 82)
            #expect(devices.allSatisfy { $0.status == "unassigned" && $0.server == nil && $0.profileStatus == .empty })
        }
    }

    @Test func filtersByServerAndOrderCombineWithAnd() async throws {
        try await TestServer.with { server in
            let orders = try await server.portalValue([PortalOrder].self, "GET", "/orders")
            let all = try await server.portalDevices()
            try await server.createPortalServer("Filtered MDM")
            let picked = stride(from: 0, to: all.count, by: 3).map { all[$0].serialNumber }
            try await server.assign(picked, to: "Filtered MDM")

            #expect(try await server.portalSerials("server=Filtered%20MDM") == picked)
            let uuid = try await server.portalValue(MDMServerSummary.self, "GET", "/servers/Filtered%20MDM").uuid
            #expect(try await server.portalSerials("server=\(uuid)") == picked)
            for order in orders {
                let inOrder = all.filter { $0.orderNumber == order.number }.map(\.serialNumber)
                #expect(try await server.portalSerials("order=\(PortalPath.escape(order.number))") == inOrder)
                #expect(
                    try await server.portalSerials("order=\(PortalPath.escape(order.number))&server=Filtered%20MDM")
                        == inOrder.filter(picked.contains))
            }
            #expect(try await server.portalSerials("order=NO-SUCH-ORDER").isEmpty)
        }
    }

    @Test(arguments: ["iPhone", "iphone", "IPHONE", "ipad", "MAC", "appletv", "Vision"])
    func aFamilyFilterIgnoresCase(family: String) async throws {
        try await TestServer.with { server in
            let all = try await server.portalDevices()
            let expected = all.filter { $0.family.lowercased() == family.lowercased() }.map(\.serialNumber)
            #expect(try await server.portalSerials("family=\(family)") == expected)
        }
    }

    @Test func theMockOrganisationHasDevicesOfSeveralFamilies() async throws {
        try await TestServer.with { server in
            let families = Set(try await server.portalDevices().map(\.family))
            #expect(families.isSuperset(of: ["iPhone", "iPad", "Mac"]))
            for family in families {
                #expect(try await !server.portalSerials("family=\(family.lowercased())").isEmpty)
            }
        }
    }

    @Test(arguments: ["assigned", "unassigned", "released"])
    func aStatusFilterShowsOnlyThatStatus(status: String) async throws {
        try await TestServer.with { server in
            let serials = try await server.portalSerials()
            try await server.createPortalServer("Status MDM")
            try await server.assign(Array(serials[0..<5]), to: "Status MDM")
            _ = try await server.portalValue(
                PortalReport.self, "POST", "/devices/release",
                json: #"{"serials":["\#(serials[4])","\#(serials[10])","\#(serials[11])"]}"#)
            let expected =
                switch status {
                case "assigned": Array(serials[0..<4])
                case "released": [serials[4], serials[10], serials[11]]
                default: serials.filter { ![0, 1, 2, 3, 4, 10, 11].map { serials[$0] }.contains($0) }
                }
            let devices = try await server.portalDevices("status=\(status)")
            #expect(devices.map(\.serialNumber) == expected)
            #expect(devices.allSatisfy { $0.status == status })
            #expect(devices.allSatisfy { ($0.server != nil) == (status == "assigned") })
        }
    }

    @Test func theStatusFilterIgnoresCase() async throws {
        try await TestServer.with { server in
            let serials = try await server.portalSerials()
            try await server.createPortalServer("Case MDM")
            try await server.assign(Array(serials[0..<2]), to: "Case MDM")
            #expect(try await server.portalDevices("status=Assigned").map(\.serialNumber) == Array(serials[0..<2]))
            #expect(try await server.portalDevices("status=ASSIGNED").map(\.serialNumber) == Array(serials[0..<2]))
        }
    }

    @Test(arguments: ["status=lost", "status=", "limit=0", "limit=1001", "limit=-1", "limit=ten"])
    func aBadFilterOrPageSizeIsRefused(query: String) async throws {
        try await TestServer.with { server in
            let problem = try await server.portalProblem("GET", "/devices?\(query)")
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_REQUEST")
        }
    }

    @Test func anUnknownServerFilterIsNotFound() async throws {
        try await TestServer.with { server in
            let problem = try await server.portalProblem("GET", "/devices?server=Nobody")
            #expect(problem.status == 404)
            #expect(problem.error == "NOT_FOUND")
        }
    }

    // MARK: Paging

    @Test(arguments: [1, 7, 41, 81, 82, 83, 1000])
    func pagingVisitsEveryDeviceOnce(limit: Int) async throws {
        try await TestServer.with { server in
            let all = try await server.portalSerials()
            var visited: [String] = []
            var after: String?
            var pages = 0
            repeat {
                let query = "limit=\(limit)" + (after.map { "&after=\(PortalPath.escape($0))" } ?? "")
                let page = try await server.portalValue(DevicePage.self, "GET", "/devices?\(query)")
                #expect(page.devices.count == min(limit, all.count - visited.count))
                visited += page.devices.map(\.serialNumber)
                #expect(page.next == (visited.count < all.count ? visited.last : nil))
                after = page.next
                pages += 1
            } while after != nil && pages <= all.count
            #expect(visited == all)
            #expect(pages == (all.count + limit - 1) / limit)
        }
    }

    @Test func pagingAFilteredListStaysInTheFilter() async throws {
        try await TestServer.with { server in
            let expected = try await server.portalSerials("family=ipad")
            #expect(expected.count > 2)
            var visited: [String] = []
            var after: String?
            repeat {
                let page = try await server.portalValue(
                    DevicePage.self, "GET", "/devices?family=ipad&limit=2" + (after.map { "&after=\($0)" } ?? ""))
                visited += page.devices.map(\.serialNumber)
                after = page.next
            } while after != nil
            #expect(visited == expected)
        }
    }

    // MARK: Orders

    @Test func ordersCountTheirDevices() async throws {
        try await TestServer.with { server in
            let orders = try await server.portalValue([PortalOrder].self, "GET", "/orders")
            #expect(orders.count == 4)
            #expect(Set(orders.map(\.number)).count == 4)
            #expect(orders.map(\.date) == orders.map(\.date).sorted())
            #expect(orders.allSatisfy { $0.date <= TestServer.start && !$0.purchaseSource.isEmpty })
            #expect(orders.reduce(0) { $0 + $1.deviceCount } == 82)
            for order in orders {
                #expect(try await server.portalSerials("order=\(order.number)").count == order.deviceCount)
            }
        }
    }

    // MARK: Seeding

    @Test func seedingAddsDevicesReproducibly() async throws {
        let first = try await Self.seededSerials(seed: 7, devices: 25)
        let second = try await Self.seededSerials(seed: 7, devices: 25)
        let other = try await Self.seededSerials(seed: 8, devices: 25)
        #expect(first.count == 25)
        #expect(first == second)
        #expect(other.count == 25)
        #expect(first != other)
    }

    @Test func seedingTwiceWithOneSeedAddsDifferentDevices() async throws {
        try await TestServer.with { server in
            for _ in 0..<2 {
                let result = try await server.portal("POST", "/seed", json: #"{"devices":10,"seed":3}"#)
                #expect(result.status == 200)
            }
            let devices = try await server.portalDevices()
            #expect(devices.count == 102)
            #expect(Set(devices.map(\.serialNumber)).count == 102)
        }
    }

    @Test(arguments: [#"{"devices":0}"#, #"{"devices":-5}"#, #"{"devices":10000001}"#, #"{"seed":1}"#])
    func aSeedNeedsADeviceCount(body: String) async throws {
        try await TestServer.with { server in
            let problem = try await server.portalProblem("POST", "/seed", json: body)
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_REQUEST")
            #expect(try await server.portalDevices().count == 82)
        }
    }

    /// The serials a fresh world gains from `POST /portal/seed`, with the orders they came in.
    private static func seededSerials(seed: UInt64, devices: Int) async throws -> [String] {
        try await TestServer.with { server in
            let before = Set(try await server.portalSerials())
            let ordersBefore = try await server.portalValue([PortalOrder].self, "GET", "/orders").count
            let response = try await server.portal("POST", "/seed", json: #"{"devices":\#(devices),"seed":\#(seed)}"#)
            let result = try JSONDecoder().decode([String: Int].self, from: response.body)
            #expect(result["devices"] == devices)
            let orders = try await server.portalValue([PortalOrder].self, "GET", "/orders")
            #expect(result["orders"] == orders.count - ordersBefore)
            #expect(orders.reduce(0) { $0 + $1.deviceCount } == before.count + devices)
            return try await server.portalSerials().filter { !before.contains($0) }
        }
    }

    // MARK: Organisation

    @Test func theOrganisationIsShownAndItsTermsCanBeWithdrawn() async throws {
        try await TestServer.with { server in
            let organisation = try await server.portalValue(OrganisationDetails.self, "GET", "/organisation")
            #expect(!organisation.name.isEmpty)
            #expect(!organisation.adminID.isEmpty)
            #expect(organisation.termsSigned)

            let enrolled = try await EnrolledServer.make(server)
            let session = try await DEPSession(server, enrolled)
            let withdrawn = try await server.portalValue(
                OrganisationDetails.self, "PATCH", "/organisation", json: #"{"terms_signed":false}"#)
            #expect(!withdrawn.termsSigned)
            #expect(withdrawn.name == organisation.name)
            #expect(try await !server.portalValue(OrganisationDetails.self, "GET", "/organisation").termsSigned)
            let refused = try await session.call("GET", "/account")
            #expect(refused.status == 403)
            #expect(refused.text == "T_C_NOT_SIGNED")

            let unchanged = try await server.portalValue(OrganisationDetails.self, "PATCH", "/organisation", json: "{}")
            #expect(!unchanged.termsSigned)
            _ = try await server.portalValue(
                OrganisationDetails.self, "PATCH", "/organisation", json: #"{"terms_signed":true}"#)
            #expect(try await session.call("GET", "/account").status == 200)
        }
    }

    @Test(arguments: [#"{"terms_signed":"yes"}"#, "[]", ""])
    func aBadOrganisationChangeIsRefused(body: String) async throws {
        try await TestServer.with { server in
            let problem = try await server.portalProblem("PATCH", "/organisation", json: body)
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_REQUEST")
            #expect(try await server.portalValue(OrganisationDetails.self, "GET", "/organisation").termsSigned)
        }
    }
}
