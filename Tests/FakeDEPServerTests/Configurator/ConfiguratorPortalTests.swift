import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// Apple Configurator's part through the portal (peers §6): adding devices, the provisional
/// period, and what the MDM sees.
struct ConfiguratorPortalTests {
    static let thirtyDays: TimeInterval = 30 * 86_400

    @Test func addedDevicesAreManuallyAddedAndTheirPeriodWaitsForEnrollment() async throws {
        try await TestServer.with { server in
            let report = try await server.configuratorAdd(["CFGADD00001", "cfgadd00002"], model: "iPhone17,3")
            #expect(report.counts == ["added": 2])
            #expect(report.lines.map(\.serial) == ["CFGADD00001", "CFGADD00002"])

            #expect(report.lines.allSatisfy { $0.detail == "provisional for 30 days once enrolled" })
            for serial in ["CFGADD00001", "CFGADD00002"] {
                let device = try await server.inventoryRecord(serial)
                #expect(device.purchaseSource == "MANUALLY_ADDED")
                #expect(device.provisionalUntil == nil)
                #expect(device.model == "iPhone 16" && device.productType == "iPhone17,3")
                #expect(device.family == "iPhone" && device.os == "iOS")
                #expect(device.status == "unassigned" && device.server == nil)
                #expect(device.orderNumber.hasPrefix("CONFIGURATOR-"))
            }
            let order = try await server.portalValue([PortalOrder].self, "GET", "/orders")
                .first { $0.number.hasPrefix("CONFIGURATOR-") }
            #expect(order?.purchaseSource == "MANUALLY_ADDED")
            #expect(order?.deviceCount == 2)
        }
    }

    @Test func aModelNameNamesItsCatalogueProduct() async throws {
        try await TestServer.with { server in
            #expect(
                try await server.configuratorAdd(["CFGMINI0001"], model: "ipad MINI (A17 Pro)").counts == ["added": 1])
            let device = try await server.inventoryRecord("CFGMINI0001")
            #expect(device.productType == "iPad16,1" && device.family == "iPad" && device.os == "iPadOS")
        }
    }

    @Test func addingWithAServerShowsTheDeviceAsAddedInItsSync() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Configurator MDM")
            let cursor = try await linked.session.exhaustedCursor()
            server.clock.advance(by: 60)

            let report = try await server.configuratorAdd(
                ["CFGSYNC0001"], model: "Mac16,12", server: "Configurator MDM")
            #expect(report.outcomes == ["added"])
            #expect(report.lines[0].detail == "assigned to Configurator MDM; provisional for 30 days once enrolled")

            let events = try await linked.session.syncPage(cursor: cursor).devices ?? []
            #expect(events.map(\.serialNumber) == ["CFGSYNC0001"])
            #expect(events.first?.opType == .added)
            #expect(events.first?.opDate == server.clock.now)
            #expect(events.first?.deviceAssignedDate == server.clock.now)
            #expect(events.first?.model == "MacBook Air 13\"")
            #expect(try await server.inventoryRecord("CFGSYNC0001").server == "Configurator MDM")
        }
    }

    @Test func releasingWithinThirtyDaysTakesTheDeviceOutAndTheMDMSeesDeleted() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Configurator MDM")
            try await server.configuratorAdd(["CFGREL00001"], model: "iPhone17,3", server: "Configurator MDM")
            server.clock.advance(by: 86_400)
            try await Self.enroll("CFGREL00001", linked, server)
            server.clock.advance(by: Self.thirtyDays - 1)
            // A month on, the MDM has a new session and a cursor fetched since (cursors last 7 days).
            let session = try await DEPSession(server, linked.enrolled)
            let cursor = try await session.exhaustedCursor()

            let report = try await server.portalValue(
                PortalReport.self, "POST", "/devices/CFGREL00001/release-provisional")
            #expect(report.outcomes == ["released"])
            let device = try await server.inventoryRecord("CFGREL00001")
            #expect(device.status == "released" && device.server == nil)
            let events = try await session.syncPage(cursor: cursor).devices ?? []
            #expect(events.map(\.serialNumber) == ["CFGREL00001"])
            #expect(events.first?.opType == .deleted)
            #expect(
                try await session.details(["CFGREL00001"]).devices["CFGREL00001"]?.responseStatus
                    == .notAccessible)
        }
    }

    @Test func afterThirtyDaysTheDeviceCannotLeaveAndNothingChanges() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Configurator MDM")
            try await server.configuratorAdd(["CFGLATE0001"], model: "iPhone17,3", server: "Configurator MDM")
            server.clock.advance(by: 86_400)
            try await Self.enroll("CFGLATE0001", linked, server)
            let before = try await server.inventoryRecord("CFGLATE0001")
            server.clock.advance(by: Self.thirtyDays)
            let session = try await DEPSession(server, linked.enrolled)
            let cursor = try await session.exhaustedCursor()

            let problem = try await server.portalProblem("POST", "/devices/CFGLATE0001/release-provisional")
            #expect(problem.status == 400 && problem.error == "PROVISIONAL_PERIOD_ENDED")
            let end = DEPDate.format(TestServer.start.addingTimeInterval(86_400 + Self.thirtyDays))
            #expect(problem.message.contains("ended on \(end)"), "\(problem)")
            #expect(try await server.inventoryRecord("CFGLATE0001") == before)
            #expect(try await session.syncPage(cursor: cursor).devices == [])
        }
    }

    @Test func thePeriodStartsAtTheFirstFetchOfAProfileAndLaterBootsDoNotMoveIt() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Configurator MDM")
            try await server.configuratorAdd(["CFGBOOT0001"], model: "iPhone17,3", server: "Configurator MDM")
            // Assigned but without a profile, the device sets up unmanaged: no enrollment yet.
            guard case .unmanaged = try await server.world.bootDevice(serial: "CFGBOOT0001") else {
                Issue.record("a device without a profile got a record")
                return
            }
            #expect(try await server.inventoryRecord("CFGBOOT0001").provisionalUntil == nil)

            server.clock.advance(by: 3_600)
            let until = server.clock.now.addingTimeInterval(Self.thirtyDays)
            #expect(try await Self.enroll("CFGBOOT0001", linked, server) == until)
            #expect(try await server.inventoryRecord("CFGBOOT0001").provisionalUntil == until)

            server.clock.advance(by: 86_400)
            guard case .managed(let again) = try await server.world.bootDevice(serial: "CFGBOOT0001") else {
                Issue.record("the second boot got no record")
                return
            }
            #expect(again.provisionalUntil == until)
        }
    }

    @Test func aDeviceThatNeverEnrolledMayStillLeaveAfterThirtyDays() async throws {
        try await TestServer.with { server in
            try await server.configuratorAdd(["CFGWAIT0001"], model: "iPhone17,3")
            server.clock.advance(by: 2 * Self.thirtyDays)
            let report = try await server.portalValue(
                PortalReport.self, "POST", "/devices/CFGWAIT0001/release-provisional")
            #expect(report.outcomes == ["released"])
        }
    }

    @Test func aPurchasedDeviceThatEnrollsHasNoProvisionalPeriod() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Purchased MDM", devices: 1)
            #expect(try await Self.enroll(linked.serials[0], linked, server) == nil)
            #expect(try await server.inventoryRecord(linked.serials[0]).provisionalUntil == nil)
        }
    }

    /// Gives `serial` a profile of `linked`'s and boots it: the device fetches its record and
    /// goes on to enroll. Returns the end of its provisional period, if it has one.
    @discardableResult
    static func enroll(_ serial: String, _ linked: LinkedServer, _ server: TestServer) async throws -> Date? {
        var profile = Profile(profileName: "Configurator", url: "https://mdm.example.com/enroll")
        profile.devices = [serial]
        // A session of now: the one the server was linked with may have ended.
        _ = try await DEPSession(server, linked.enrolled).defineProfile(try DEPJSON.encodeString(profile))
        guard case .managed(let record) = try await server.world.bootDevice(serial: serial) else {
            throw CancellationError()
        }
        return record.provisionalUntil
    }

    @Test func aSerialTheOrganisationHasIsRefusedOnItsLine() async throws {
        try await TestServer.with { server in
            let owned = try #require(try await server.portalDevices().first)
            let report = try await server.configuratorAdd(
                [owned.serialNumber, "CFGDUP00001", "CFGDUP00001", "not a serial"], model: "iPhone17,3")
            #expect(report.outcomes == ["already_in_organisation", "added", "already_in_organisation", "malformed"])
            #expect(report.lines[0].detail == "the organisation already has this device")
            #expect(report.lines[2].detail == "listed again; first on line 2")
            #expect(try await server.inventoryRecord(owned.serialNumber) == owned)
        }
    }

    @Test func aReleasedDeviceCanBeAddedAgain() async throws {
        try await TestServer.with { server in
            let owned = try #require(try await server.portalDevices().first)
            _ = try await server.world.release(serials: [owned.serialNumber])
            #expect(try await server.configuratorAdd([owned.serialNumber], model: "iPhone17,3").outcomes == ["added"])
            let device = try await server.inventoryRecord(owned.serialNumber)
            #expect(device.status == "unassigned" && device.purchaseSource == "MANUALLY_ADDED")
        }
    }

    @Test func anUnknownModelOrServerIsRefusedAndNothingIsAdded() async throws {
        try await TestServer.with { server in
            let before = try await server.portalSerials()
            let model = try await server.portalProblem(
                "POST", "/configurator/devices", json: #"{"serials":["CFGBAD00001"],"model":"iPhone99,9"}"#)
            #expect(model.status == 400 && model.error == "UNKNOWN_MODEL")
            #expect(model.message.contains("`fakedep configurator models`"), "\(model)")
            let unknownServer = try await server.portalProblem(
                "POST", "/configurator/devices",
                json: #"{"serials":["CFGBAD00001"],"model":"iPhone17,3","server":"Nobody"}"#)
            #expect(unknownServer.status == 404 && unknownServer.error == "NOT_FOUND")
            #expect(try await server.portalSerials() == before)
            #expect(
                try await server.portalValue([PortalOrder].self, "GET", "/orders").allSatisfy {
                    !$0.number.hasPrefix("CONFIGURATOR-")
                })
        }
    }

    @Test func theModelsAreTheCataloguesProducts() async throws {
        try await TestServer.with { server in
            let models = try await server.portalValue([ConfiguratorModel].self, "GET", "/configurator/models")
            #expect(
                models.contains { $0.productType == "iPhone17,3" && $0.model == "iPhone 16" && $0.family == "iPhone" })
            #expect(models.count == 39)
        }
    }

    @Test func aPurchasedOrUnknownDeviceHasNoProvisionalPeriod() async throws {
        try await TestServer.with { server in
            let owned = try #require(try await server.portalSerials().first)
            let purchased = try await server.portalProblem("POST", "/devices/\(owned)/release-provisional")
            #expect(purchased.status == 400 && purchased.error == "NOT_PROVISIONAL")
            let unknown = try await server.portalProblem(
                "POST", "/devices/\(TestServer.unknownSerial)/release-provisional")
            #expect(unknown.status == 404 && unknown.error == "NOT_FOUND")
            #expect(try await server.inventoryRecord(owned).status == "unassigned")
        }
    }
}

extension TestServer {
    /// `POST /portal/configurator/devices` that must succeed.
    @discardableResult
    func configuratorAdd(_ serials: [String], model: String, server: String? = nil) async throws -> PortalReport {
        var body = #"{"serials":\#(try DEPJSON.encodeString(serials)),"model":\#(try DEPJSON.encodeString(model))"#
        if let server { body += #","server":\#(try DEPJSON.encodeString(server))"# }
        return try await portalValue(PortalReport.self, "POST", "/configurator/devices", json: body + "}")
    }
}
