import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The pages whose forms act through the JSON routes: assignment, Apple Configurator and API
/// accounts. The pages only read; these tests check what they show and where their forms go.
struct ActionPagesTests {
    @Test func theAssignPageOffersEachServerAndOrderToItsForms() async throws {
        try await TestServer.with { server in
            let created = try await server.createPortalServer("Team <b>x</b>")
            let orders = try await server.portalValue([PortalOrder].self, "GET", "/orders")
            let page = try await server.okPage("/web/assign")
            #expect(page.html.contains(#"<option value="\#(created.uuid)">Team &lt;b&gt;x&lt;/b&gt;</option>"#))
            #expect(!page.html.contains("<b>x</b>"))
            for order in orders { #expect(page.html.contains(#"<option value="\#(order.number)">"#)) }
            let prefix = "/_fakedep/worlds/default/portal"
            #expect(page.html.contains(#"data-api="\#(prefix)/servers/{server}/devices/csv" data-body="file""#))
            #expect(page.html.contains(#"data-api="\#(prefix)/devices/unassign""#))
            #expect(page.html.contains(#"data-api="\#(prefix)/devices/release""#))
            #expect(page.html.contains(#"<section id="report" class="card" hidden"#))
            #expect(page.html.contains("<progress hidden"))
        }
    }

    @Test func theAssignPageWithoutServersSaysToAddOne() async throws {
        try await TestServer.with { server in
            let page = try await server.okPage("/web/assign")
            #expect(page.html.contains("There is no MDM server yet"))
            #expect(!page.html.contains("/devices/csv"))
        }
    }

    @Test func theConfiguratorPageListsModelsAndProvisionalDevices() async throws {
        try await TestServer.with { server in
            let models = try await server.portalValue([ConfiguratorModel].self, "GET", "/configurator/models")
            _ = try await server.portalValue(
                PortalReport.self, "POST", "/configurator/devices",
                json: #"{"serials":["CFGPAGE0001","CFGPAGE0002"],"model":"\#(models[0].productType)"}"#)
            _ = try await server.send("POST", "/device/boot/CFGPAGE0001")
            let page = try await server.okPage("/web/configurator")
            for model in models { #expect(page.html.contains(#"<option value="\#(model.productType)">"#)) }
            #expect(page.deviceLinks == ["CFGPAGE0001", "CFGPAGE0002"])
            #expect(page.html.contains("/portal/devices/CFGPAGE0002/release-provisional"))
            #expect(page.html.contains("30 days from when it enrolls"))

            _ = try await server.portalValue(
                PortalReport.self, "POST", "/devices/release", json: #"{"serials":["CFGPAGE0002"]}"#)
            #expect(try await server.okPage("/web/configurator").deviceLinks == ["CFGPAGE0001"])
        }
    }

    @Test func theConfiguratorPageCountsTheProvisionalDaysLeftByTheWorldsClock() async throws {
        try await TestServer.with { server in
            let linked = try await server.linkServer("Provisional MDM")
            try await server.configuratorAdd(["CFGDAYS0001"], model: "iPhone17,3", server: "Provisional MDM")
            let until = try #require(try await ConfiguratorPortalTests.enroll("CFGDAYS0001", linked, server))
            server.clock.advance(by: 20 * 86_400)
            let page = try await server.okPage("/web/configurator")
            #expect(page.html.contains(DEPDate.format(until).prefix(10) + " (10 days left)"))
            let device = try await server.okPage("/web/devices/CFGDAYS0001")
            #expect(device.html.contains("(10 days left)"))
            #expect(device.html.contains("/portal/devices/CFGDAYS0001/release-provisional"))
        }
    }

    @Test func theAPIAccountsPageListsAccountsEscapedWithARevokeForm() async throws {
        try await TestServer.with { server in
            let created = try await server.portalValue(
                CreatedAPIAccount.self, "POST", "/api-accounts", json: #"{"name":"CI <b>x</b>"}"#)
            let page = try await server.okPage("/web/api-accounts")
            #expect(page.html.contains("CI &lt;b&gt;x&lt;/b&gt;"))
            #expect(!page.html.contains("<b>x</b>"))
            #expect(page.html.contains(created.clientID))
            #expect(!page.html.contains("PRIVATE KEY"))
            #expect(
                page.html.contains(#"data-api="/_fakedep/worlds/default/portal/api-accounts/\#(created.clientID)""#))
            #expect(page.html.contains("shown only once"))

            _ = try await server.send("DELETE", "/portal/api-accounts/" + created.clientID)
            let revoked = try await server.okPage("/web/api-accounts")
            #expect(revoked.html.contains("revoked "))
            #expect(!revoked.html.contains("/portal/api-accounts/\(created.clientID)\""))
        }
    }

    @Test func everyPageOfAWorldLinksWithinThatWorld() async throws {
        try await TestServer.with { server in
            let created = try await server.send("POST", "/_fakedep/worlds", json: #"{"seed":"mock"}"#)
            let id = try DEPJSON.decode(WorldSummary.self, from: created.body).id
            for path in ["/web/devices", "/web/assign", "/web/configurator", "/web/api-accounts"] {
                let page = try await server.okPage("/_fakedep/worlds/\(id)" + path)
                #expect(page.html.contains(#"href="/_fakedep/worlds/\#(id)/web/devices""#))
            }
        }
    }
}
