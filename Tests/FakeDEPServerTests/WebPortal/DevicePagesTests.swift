import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The device list and each device's page, read as HTML.
struct DevicePagesTests {
    @Test func theDeviceListShowsEveryDeviceOnceAcrossItsPages() async throws {
        try await TestServer.with { server in
            _ = try await server.portalValue(SeedResultShape.self, "POST", "/seed", json: #"{"devices":150,"seed":3}"#)
            let expected = try await server.portalSerials()
            #expect(expected.count > 200)
            let first = try await server.okPage("/web/devices")
            #expect(first.deviceLinks.count == 100)
            #expect(first.link("First page") == nil)
            let listed = try await server.listedSerials()
            #expect(listed == expected)
            let second = try await server.okPage(try #require(first.nextPage))
            #expect(second.link("First page") == "/web/devices")
        }
    }

    @Test func filtersNarrowTheListAndSurvivePaging() async throws {
        try await TestServer.with { server in
            _ = try await server.portalValue(SeedResultShape.self, "POST", "/seed", json: #"{"devices":400,"seed":5}"#)
            let iPhones = try await server.portalSerials("family=iPhone")
            #expect(iPhones.count > 100)
            let listed = try await server.listedSerials("family=iPhone&serial=&order=&server=&status=")
            #expect(listed == iPhones)
            let page = try await server.okPage("/web/devices?family=iPhone")
            #expect(page.nextPage?.contains("family=iPhone") == true)
            #expect(page.html.contains(#"<option value="iPhone" selected>"#))
        }
    }

    @Test func theSerialSearchMatchesTheStartOfTheSerialInEitherCase() async throws {
        try await TestServer.with { server in
            let all = try await server.portalSerials()
            let prefix = String(all[3].prefix(2))
            let expected = all.filter { $0.hasPrefix(prefix) }
            #expect(try await server.listedSerials("serial=" + prefix.lowercased()) == expected)
            #expect(try await server.listedSerials("serial=ZZZZZZZZZZ").isEmpty)
        }
    }

    @Test func aServerFilterWithSpacesAndMarkupIsReadAsTheFormSendsIt() async throws {
        try await TestServer.with { server in
            let serials = try await server.portalSerials()
            try await server.createPortalServer("Team <b>x</b>")
            try await server.assign(Array(serials[0..<3]), to: "Team <b>x</b>")
            #expect(try await server.listedSerials("server=Team+%3Cb%3Ex%3C%2Fb%3E") == Array(serials[0..<3]))
            let page = try await server.okPage("/web/devices?status=assigned")
            #expect(page.html.contains("Team &lt;b&gt;x&lt;/b&gt;"))
            #expect(!page.html.contains("<b>x</b>"))
        }
    }

    @Test func aBadFilterShowsTheJSONRoutesRefusal() async throws {
        try await TestServer.with { server in
            let problem = try await server.portalProblem("GET", "/devices?status=lost")
            let page = try await server.page("/web/devices?status=lost")
            #expect(page.status == problem.status)
            #expect(page.html.contains("Unknown status"))
            let unknownServer = try await server.portalProblem("GET", "/devices?server=Nobody")
            let serverPage = try await server.page("/web/devices?server=Nobody")
            #expect(serverPage.status == unknownServer.status)
            #expect(serverPage.html.contains(unknownServer.error))
        }
    }

    @Test func aWorldsDeviceListShowsThatWorldsDevices() async throws {
        try await TestServer.with { server in
            let created = try await server.send(
                "POST", "/_fakedep/worlds", json: #"{"name":"Other","seed":{"devices":7,"seed":9}}"#)
            #expect(created.status == 201)
            let id = try DEPJSON.decode(WorldSummary.self, from: created.body).id
            let expected = try await server.inWorld(id).portalSerials()
            #expect(expected.count == 7)
            let prefix = "/_fakedep/worlds/\(id)"
            let page = try await server.okPage(prefix + "/web/devices")
            #expect(page.deviceLinks == expected)
            #expect(page.html.contains(#"href="\#(prefix)/web/devices/\#(expected[0])""#))
        }
    }

    @Test func aDevicesPageShowsWhatAppleKeepsAndItsHistory() async throws {
        try await TestServer.with { server in
            let device = try #require(try await server.portalDevices().first { $0.family == "iPhone" })
            try await server.createPortalServer("Team <b>x</b>")
            try await server.assign([device.serialNumber], to: "Team <b>x</b>")
            let page = try await server.okPage("/web/devices/" + device.serialNumber.lowercased())
            for text in [device.serialNumber, device.model, device.orderNumber, device.partNumber, "Limited Warranty"] {
                #expect(page.html.contains(text), "shows \(text)")
            }
            #expect(page.html.contains("DEVICE_ASSIGNED_TO_SERVER"))
            #expect(page.html.contains("DEVICE_ADDED_TO_ORG"))
            #expect(page.html.contains("Team &lt;b&gt;x&lt;/b&gt;"))
            #expect(!page.html.contains("<b>x</b>"))
            let worldPrefix = "/_fakedep/worlds/default"
            #expect(page.html.contains(#"data-api="\#(worldPrefix)/device/boot/\#(device.serialNumber)""#))
            #expect(page.html.contains(#"data-api="\#(worldPrefix)/portal/devices/unassign""#))
        }
    }

    @Test func anUnknownSerialGivesTheErrorPageWithTheJSONRoutesWords() async throws {
        try await TestServer.with { server in
            for serial in ["NOSUCHDEVICE1", "x"] {
                let problem = try PortalProblem(try await server.send("GET", "/device/machine-info/" + serial))
                let page = try await server.page("/web/devices/" + serial)
                #expect(page.status == problem.status)
                #expect(page.contentType?.hasPrefix("text/html") == true)
                #expect(page.html.contains(problem.error))
                #expect(page.html.contains("Not available"))
            }
        }
    }

    @Test func aDevicesHistoryIsNewestFirst() async throws {
        try await TestServer.with { server in
            let serial = try await server.portalSerials()[0]
            try await server.createPortalServer("History MDM")
            // Entries of one second keep each log's order, not one order across the logs.
            server.clock.advance(by: 60)
            try await server.assign([serial], to: "History MDM")
            server.clock.advance(by: 3600)
            _ = try await server.portalValue(
                PortalReport.self, "POST", "/devices/unassign", json: #"{"serials":["\#(serial)"]}"#)
            let history = try await server.world.deviceHistory(serial: serial.lowercased())
            #expect(history.first?.event == "DEVICE_UNASSIGNED_FROM_SERVER")
            #expect(history.last?.event == "DEVICE_ADDED_TO_ORG")
            #expect(history.map(\.date) == history.map(\.date).sorted(by: >))
            #expect(history.contains { $0.log == "sync" && $0.event == "added" && $0.server == "History MDM" })
        }
    }
}

/// What `POST /portal/seed` answers, as far as these tests read it.
struct SeedResultShape: Decodable {
    var devices: Int
}
