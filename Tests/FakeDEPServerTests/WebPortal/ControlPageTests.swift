import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The test control pages: they show what the control surface's JSON routes made (worlds, the
/// clock, fault rules, the journal), and looking at them neither journals nor meets a fault.
struct ControlPageTests {
    @Test func theControlPageListsEveryWorldWithItsNameEscaped() async throws {
        try await TestServer.with { server in
            let created = try await server.send("POST", "/_fakedep/worlds", json: #"{"name":"<b>x</b>"}"#)
            let world = try DEPJSON.decode(WorldSummary.self, from: created.body)

            let page = try await Self.page(server, "/web/control")
            #expect(page.contains("&lt;b&gt;x&lt;/b&gt;"))
            #expect(!page.contains("<b>x</b>"))
            #expect(page.contains(#"href="/_fakedep/worlds/\#(world.id)/web/""#))
            #expect(page.contains(#"data-api="/_fakedep/worlds/\#(world.id)""#))
            #expect(page.contains(#"href="/_fakedep/worlds/\#(world.id)/snapshot""#))
            // The default world cannot be deleted, so it is not offered.
            #expect(!page.contains(#"data-api="/_fakedep/worlds/default" data-method="DELETE""#))
        }
    }

    @Test func aWorldsControlPageActsOnThatWorld() async throws {
        try await TestServer.with { server in
            let created = try await server.send("POST", "/_fakedep/worlds", json: #"{"name":"other"}"#)
            let id = try DEPJSON.decode(WorldSummary.self, from: created.body).id

            let page = try await Self.page(server, "/_fakedep/worlds/\(id)/web/control")
            #expect(page.contains(#"data-api="/_fakedep/worlds/\#(id)/clock/advance""#))
            #expect(page.contains(#"data-api="/_fakedep/worlds/\#(id)/faults""#))
            #expect(page.contains(#"href="/_fakedep/worlds/\#(id)/web/control/journal""#))
        }
    }

    @Test func theClockShowsTheWorldsTimeAndWhetherItIsFrozen() async throws {
        try await TestServer.with { server in
            #expect(try await Self.page(server, "/web/control").contains(#"/clock/freeze""#))
            _ = try await server.send("POST", "/_fakedep/worlds/default/clock/advance", json: #"{"by":"P2DT3H"}"#)
            _ = try await server.send("POST", "/_fakedep/worlds/default/clock/freeze")

            let page = try await Self.page(server, "/web/control")
            #expect(page.contains(#"/clock/unfreeze""#))
            #expect(page.contains("+2 days 3 h"))
        }
    }

    @Test func anAddedFaultRuleAppearsWithHowOftenItFired() async throws {
        try await TestServer.with { server in
            let added = try await server.send(
                "POST", "/_fakedep/worlds/default/faults",
                json: #"{"operation":"portal_list_servers","times":1,"error":{"status":503}}"#)
            #expect(added.status == 201)
            #expect(try await server.send("GET", "/portal/servers").status == 503)
            #expect(try await server.send("GET", "/portal/servers").status == 200)

            let page = try await Self.page(server, "/web/control")
            #expect(page.contains("<code>f1</code>"))
            #expect(
                page.contains("<td>portal_list_servers</td><td>the first</td><td>error 503 Service Unavailable</td>"))
            #expect(page.contains(#"<td class="num">2</td><td class="num">1</td>"#))
            #expect(page.contains(#"data-api="/_fakedep/worlds/default/faults/f1" data-method="DELETE""#))
        }
    }

    @Test func aRequestAppearsInTheJournalPageWithItsOperation() async throws {
        try await TestServer.with { server in
            #expect(try await server.send("GET", "/portal/servers").status == 200)

            let page = try await Self.page(server, "/web/control/journal")
            #expect(page.contains("<code>/portal/servers</code>"))
            #expect(page.contains("<td>portal_list_servers</td>"))
            #expect(page.contains(#"<script src="/web/assets/journal.js" defer></script>"#))
            #expect(page.contains(#"data-after="1""#))

            let filtered = try await Self.page(
                server, "/web/control/journal?operation=portal_show_organisation&status=")
            #expect(!filtered.contains("<code>/portal/servers</code>"))
            #expect(filtered.contains(#"data-operation="portal_show_organisation""#))
        }
    }

    @Test func aRefusedRequestShowsWhyInTheJournalPage() async throws {
        try await TestServer.with { server in
            #expect(try await server.send("GET", "/portal/servers/Nobody").status == 404)

            let page = try await Self.page(server, "/web/control/journal?status=4xx")
            #expect(page.contains(#"<span class="badge warn">404</span>"#))
            #expect(page.contains("<code>/portal/servers/Nobody</code>"))
        }
    }

    @Test func aBadJournalFilterIsRefusedInTheRoutesOwnWords() async throws {
        try await TestServer.with { server in
            let response = try await server.send("GET", "/web/control/journal?status=oops")
            #expect(response.status == 400)
            #expect(response.text.contains("status is a code such as 404, or a class such as 4xx."))
        }
    }

    @Test func pageViewsAreNotJournaled() async throws {
        try await TestServer.with { server in
            let created = try await server.send("POST", "/_fakedep/worlds", json: #"{"name":"watched"}"#)
            let id = try DEPJSON.decode(WorldSummary.self, from: created.body).id
            for path in [
                "/web/control", "/web/control/journal", "/web/assets/journal.js", "/_fakedep/worlds/\(id)/web/control",
                "/_fakedep/worlds/\(id)/web/control/journal",
            ] {
                #expect(try await server.send("GET", path).status == 200)
            }
            #expect(try await JournalTests.journal(server, query: "").entries.isEmpty)
            #expect(try await JournalTests.journal(server, world: id, query: "").entries.isEmpty)
        }
    }

    @Test func faultRulesDoNotReachThePages() async throws {
        try await TestServer.with { server in
            _ = try await server.send("POST", "/_fakedep/worlds/default/faults", json: #"{"error":{"status":500}}"#)
            _ = try await server.send("POST", "/_fakedep/worlds/default/faults", json: #"{"transport":"reset"}"#)
            #expect(try await server.send("GET", "/portal/servers").status == 500)

            for path in ["/web/control", "/web/control/journal", "/web/assets/journal.js"] {
                #expect(try await server.send("GET", path).status == 200)
            }
        }
    }

    @Test func withoutAJournalTheControlPageSaysSoAndTheJournalPageExplains() async throws {
        try await TestServer.with(journalSize: 0) { server in
            #expect(try await Self.page(server, "/web/control").contains("keeps no journal"))
            let journal = try await server.send("GET", "/web/control/journal")
            #expect(journal.status == 409)
            #expect(journal.text.contains("--journal-size"))
        }
    }

    /// The HTML page at `path`, which must answer 200.
    static func page(_ server: TestServer, _ path: String) async throws -> String {
        let response = try await server.send("GET", path)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        return response.text
    }
}
