import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The web portal's frame, overview and MDM server pages, read as HTML.
struct OverviewPageTests {
    @Test func theOverviewShowsTheSeededOrganisationItsDevicesAndServers() async throws {
        try await TestServer.with { server in
            _ = try await server.world.createServer(name: "Overview MDM")
            for path in ["/", "/web", "/web/"] {
                let page = try await server.send("GET", path)
                #expect(page.status == 200)
                #expect(page.header("Content-Type") == "text/html; charset=utf-8")
                #expect(page.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
                #expect(page.text.contains("<h1>Acme Corp</h1>"))
                #expect(page.text.contains(#"<span class="count">82</span>"#))
                #expect(page.text.contains(#"<a href="/web/servers/Overview%20MDM">Overview MDM</a>"#))
                #expect(page.text.contains(#"<a href="/web/" aria-current="page">Overview</a>"#))
            }
        }
    }

    @Test func devicesAreCountedByFamilyAndStatus() async throws {
        try await TestServer.with { server in
            _ = try await server.world.createServer(name: "Counting MDM")
            let macs = try await server.portalSerials("family=Mac")
            _ = try await server.world.assign(serials: Array(macs.prefix(3)), to: "Counting MDM")
            _ = try await server.world.release(serials: [macs[0], macs[5]])
            let counts = try await server.world.deviceCounts().filter { $0.family == "Mac" }
            #expect(
                counts.map { "\($0.status)=\($0.count)" } == [
                    "assigned=2", "unassigned=\(macs.count - 4)", "released=2",
                ])
            let page = try await server.send("GET", "/").text
            #expect(
                page.contains(
                    #"<a href="/web/devices?family=Mac">Mac</a></th><td class="num">2</td><td class="num">\#(macs.count - 4)</td><td class="num">2</td><td class="num">\#(macs.count)</td>"#
                ))
        }
    }

    @Test func aNameWithMarkupIsShownAsText() async throws {
        try await TestServer.with { server in
            _ = try await server.world.createServer(name: "<b>bold</b> & co")
            for path in ["/web/servers", "/web/servers/%3Cb%3Ebold%3C%2Fb%3E%20%26%20co", "/"] {
                let page = try await server.send("GET", path)
                #expect(page.status == 200, "\(path)")
                #expect(page.text.contains("&lt;b&gt;bold&lt;/b&gt; &amp; co"), "\(path)")
                #expect(!page.text.contains("<b>bold"), "\(path)")
            }
        }
    }

    @Test func anUnknownServerIsTheErrorPageWithThePortalsWordsAndStatus() async throws {
        try await TestServer.with { server in
            let page = try await server.send("GET", "/web/servers/Nobody")
            #expect(page.status == 404)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            let portal = try await server.send("GET", "/portal/servers/Nobody")
            let message = try #require(try DEPJSON.decode([String: String].self, from: portal.body)["message"])
            #expect(page.text.contains(message.replacingOccurrences(of: "\"", with: "&quot;")), "\(page.text)")
        }
    }

    @Test func aServersPageShowsItsDevicesAndActsThroughTheJSONRoutes() async throws {
        try await TestServer.with { server in
            let summary = try await server.world.createServer(name: "Paged MDM")
            let serials = try await server.portalSerials().prefix(3)
            _ = try await server.world.assign(serials: Array(serials), to: "Paged MDM")
            let page = try await server.send("GET", "/web/servers/Paged%20MDM").text
            for serial in serials { #expect(page.contains("<code>\(serial)</code>")) }
            #expect(page.contains(#"data-api="/_fakedep/worlds/default/portal/servers/\#(summary.uuid)/certificate""#))
            #expect(page.contains(#"href="/_fakedep/worlds/default/portal/servers/\#(summary.uuid)/token""#))
        }
    }

    @Test func aWorldsPagesLiveUnderItsPrefixAndShowThatWorld() async throws {
        try await TestServer.with { server in
            let made = try await server.send(
                "POST", "/_fakedep/worlds", json: #"{"name":"Pages","seed":{"devices":7,"seed":3}}"#)
            let id = try DEPJSON.decode(WorldSummary.self, from: made.body).id
            let page = try await server.send("GET", "/_fakedep/worlds/\(id)/web/")
            #expect(page.status == 200)
            #expect(page.text.contains(#"<span class="count">7</span>"#))
            #expect(page.text.contains(#"<a class="brand" href="/_fakedep/worlds/\#(id)/web/">"#))
            #expect(page.text.contains(#"data-world="/_fakedep/worlds/\#(id)""#))
            #expect(try await server.send("GET", "/_fakedep/worlds/wnothere/web/").status == 404)
        }
    }

    @Test func theAssetsAreServedWithTheirTypes() async throws {
        try await TestServer.with { server in
            for (name, type) in [
                ("portal.css", "text/css; charset=utf-8"), ("portal.js", "text/javascript; charset=utf-8"),
                ("icon.svg", "image/svg+xml"),
            ] {
                let asset = try await server.send("GET", "/web/assets/\(name)")
                #expect(asset.status == 200)
                #expect(asset.header("Content-Type") == type)
            }
            #expect(try await server.send("GET", "/web/assets/nothing.js").status == 404)
        }
    }
}
