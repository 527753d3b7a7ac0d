import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The request journal: every request to a world, what it asked and answered, and why a
/// refusal refused; read with filters, counted, waited for, cleared.
struct JournalTests {
    @Test func aDEPCallIsJournaledWithItsOperationServerAndBodiesAndNoSecrets() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server, name: "Journaled MDM")
            let session = try await DEPSession(server, enrolled)
            _ = try await session.call("POST", "/server/devices", json: #"{"limit":5}"#)

            let page = try await Self.journal(server, query: "operation=fetch_devices")
            let entry = try #require(page.entries.first)
            #expect(page.entries.count == 1)
            #expect(entry.method == "POST")
            #expect(entry.path == "/server/devices")
            #expect(entry.server == "Journaled MDM")
            #expect(entry.status == 200)
            #expect(entry.protocolVersion == 10)
            #expect(entry.userAgent == "fakedep-tests/1.0")
            #expect(entry.requestBody == #"{"limit":5}"#)
            #expect(entry.responseBody?.contains(#""more_to_follow""#) == true)
            #expect(entry.worldTime == TestServer.start)
            #expect(entry.why == nil)

            let opened = try #require(try await Self.journal(server, query: "operation=session").entries.first)
            #expect(opened.responseBody == #"{"auth_session_token":"REDACTED"}"#)
            #expect(!(opened.responseBody ?? "").contains(session.token))
            #expect(page.counters["session"] == 1 && page.counters["fetch_devices"] == 1)
        }
    }

    @Test func aWrongSignaturesEntryShowsTheBaseStringTheServerComputed() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server)
            let authorization = try enrolled.authorization(server).replacing(
                /oauth_signature="[^"]*"/, with: #"oauth_signature="bm90LXRoZS1zaWduYXR1cmU%3D""#)
            let refused = try await server.send("GET", "/session", headers: [("Authorization", authorization)])
            #expect(refused.status == 401)
            let entry = try #require(try await Self.journal(server, query: "status=401").entries.first)
            #expect(entry.operation == "session")
            #expect(entry.server == "Test MDM")
            let why = try #require(entry.why)
            #expect(why.hasPrefix("oauth_problem=signature_invalid"))
            #expect(why.contains("GET&http%3A%2F%2F127.0.0.1%3A"))
            #expect(why.contains("%2Fsession&oauth_consumer_key%3D\(enrolled.tokens.consumerKey)"))
        }
    }

    @Test func refusalsSayWhy() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server)
            let session = try await DEPSession(server, enrolled)
            _ = try await session.call("POST", "/devices", json: #"{"devices":["C02XK1JDJGH5",7]}"#)
            _ = try await server.send(
                "GET", "/account", headers: [(DEPHeader.authSession, "1O1OUNKNOWN"), (DEPHeader.protocolVersion, "10")])
            server.clock.advance(by: 181)
            _ = try await session.call("GET", "/account")

            let whys = try await Self.journal(server, query: "status=4xx").entries.map { $0.why ?? "" }
            #expect(whys.count == 3)
            #expect(whys[0] == "the body is not the JSON this call takes: at $.devices[1]: expected a string")
            #expect(whys[1].hasPrefix("the session is unknown to every world"))
            #expect(whys[2] == "the session expired after 181 s idle (sessions end after 180 s)")
        }
    }

    @Test func filtersCountsLimitsAndClearing() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Alpha")
            _ = try await server.portal("GET", "/servers/Nobody")
            _ = try await server.portal("GET", "/servers")
            _ = try await server.portal("GET", "/servers")

            #expect(try await Self.count(server, query: "") == 4)
            #expect(try await Self.count(server, query: "operation=portal_list_servers") == 2)
            #expect(try await Self.count(server, query: "status=404") == 1)
            #expect(try await Self.count(server, query: "status=2xx") == 3)
            #expect(try await Self.count(server, query: "server=Alpha") == 0)
            #expect(try await Self.count(server, query: "server=Nobody") == 1)
            let last = try await Self.journal(server, query: "limit=1").entries
            #expect(last.map(\.seq) == [4])
            #expect(try await Self.journal(server, query: "after=3").entries.map(\.seq) == [4])
            #expect(try await server.send("GET", "/_fakedep/worlds/default/journal?status=nine").status == 400)

            #expect(try await server.send("DELETE", "/_fakedep/worlds/default/journal").status == 204)
            #expect(try await Self.count(server, query: "") == 0)
        }
    }

    @Test func waitingReturnsOnceTheEntriesExistOrAfterTheTimeout() async throws {
        try await TestServer.with { server in
            // Its own connection: the test server's client sends one request at a time.
            let waiter = HTTPClient(userAgent: "journal-waiter/1.0")
            let waiting = Task {
                try await waiter.send(
                    HTTPRequest(
                        method: "POST", url: server.baseURL + "/_fakedep/worlds/default/journal/wait",
                        headers: [("Content-Type", "application/json")],
                        body: Data(#"{"count":2,"operation":"portal_list_orders","timeout_seconds":60}"#.utf8)))
            }
            while try await Self.count(server, query: "") == 0 {
                _ = try await server.portal("GET", "/orders")
            }
            _ = try await server.portal("GET", "/orders")
            let answer = try await waiting.value
            let result = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
            #expect(result?["satisfied"] as? Bool == true)
            #expect((result?["count"] as? Int ?? 0) >= 2)

            let late = try await server.send(
                "POST", "/_fakedep/worlds/default/journal/wait", json: #"{"operation":"disown","timeout_seconds":0.2}"#)
            let lateResult = try JSONSerialization.jsonObject(with: late.body) as? [String: Any]
            #expect(lateResult?["satisfied"] as? Bool == false)
        }
    }

    @Test func eachWorldHasItsOwnJournal() async throws {
        try await TestServer.with { server in
            let id = try await WorldTests.createWorld(server)
            _ = try await server.inWorld(id).portal("GET", "/servers")
            let inWorld = try await server.send("GET", "/_fakedep/worlds/\(id)/journal")
            let entries = try DEPJSON.decode(JournalPageBody.self, from: inWorld.body).entries
            #expect(entries.map(\.path) == ["/_fakedep/worlds/\(id)/portal/servers"])
            #expect(entries.map(\.operation) == ["portal_list_servers"])
            #expect(try await Self.count(server, query: "") == 0)
        }
    }

    @Test func aLongBodyKeepsItsFirst64KiBAndSaysHowLongItWas() async throws {
        try await TestServer.with { server in
            let serials = (0..<8_000).map { "UNKNOWN" + String($0 + 10_000) }
            let body = try JSONSerialization.data(withJSONObject: ["serials": serials])
            _ = try await server.portal("POST", "/devices/unassign", body: body, contentType: "application/json")

            let entry = try #require(try await Self.journal(server, query: "limit=1").entries.first)
            let kept = try #require(entry.requestBody)
            let note = "… (\(body.count) bytes in all)"
            #expect(kept == String(decoding: body.prefix(64 << 10), as: UTF8.self) + note)
        }
    }

    @Test func withoutAJournalRequestsAreServedAndEveryJournalRouteSaysItIsOff() async throws {
        try await TestServer.with(journalSize: 0) { server in
            let session = try await DEPSession(server, try await EnrolledServer.make(server))
            #expect(try await session.call("POST", "/server/devices", json: #"{"limit":5}"#).status == 200)
            let id = try await WorldTests.createWorld(server)
            #expect(try await server.inWorld(id).portal("GET", "/servers").status == 200)

            let routes = [
                ("GET", "journal"), ("GET", "journal/count"), ("POST", "journal/wait"), ("DELETE", "journal"),
            ]
            for world in ["default", id] {
                for (method, route) in routes {
                    let problem = try PortalProblem(try await server.send(method, "/_fakedep/worlds/\(world)/\(route)"))
                    #expect(problem.status == 409, "\(method) \(route)")
                    #expect(problem.error == "JOURNAL_OFF")
                    #expect(problem.message.contains("--journal-size 0"))
                }
            }
            let unknown = try PortalProblem(try await server.send("GET", "/_fakedep/worlds/wnothere/journal"))
            #expect(unknown.status == 404)
        }
    }

    @Test func theRingKeepsTheLastEntriesAndTheCountersKeepEverything() {
        let journal = Journal(capacity: 3)
        for operation in ["a", "b", "a", "c", "a"] {
            journal.record(
                JournalEntry(
                    seq: 0, time: Date(), worldTime: Date(), method: "GET", path: "/", operation: operation,
                    status: 200,
                    durationMs: 0))
        }
        #expect(journal.entries().map(\.operation) == ["a", "c", "a"])
        #expect(journal.entries().map(\.seq) == [3, 4, 5])
        #expect(journal.counters == ["a": 3, "b": 1, "c": 1])
    }

    /// A wait that times out while entries keep coming answers consistently: satisfied exactly
    /// when the entries it returns are enough.
    @Test func aWaitThatEndsAsEntriesArriveSaysSatisfiedWhenItsEntriesAreEnough() async throws {
        for _ in 0..<50 {
            let journal = Journal(capacity: 100)
            let writer = Task {
                for _ in 0..<40 {
                    journal.record(
                        JournalEntry(
                            seq: 0, time: Date(), worldTime: Date(), method: "GET", path: "/", operation: "a",
                            status: 200, durationMs: 0))
                    await Task.yield()
                }
            }
            let waited = try await journal.awaitEntries(count: 20, matching: JournalFilter(), timeout: 0.001)
            #expect(waited.satisfied == (waited.count >= 20), "\(waited.count) entries")
            await writer.value
        }
    }

    /// The default world's journal for `query`.
    static func journal(_ server: TestServer, world: String = "default", query: String) async throws
        -> JournalPageBody
    {
        let response = try await server.send("GET", "/_fakedep/worlds/\(world)/journal?\(query)")
        guard response.status == 200 else { throw PortalCallFailure(response: response, expected: "the journal") }
        return try DEPJSON.decode(JournalPageBody.self, from: response.body)
    }

    static func count(_ server: TestServer, query: String) async throws -> Int {
        let response = try await server.send("GET", "/_fakedep/worlds/default/journal/count?\(query)")
        return try DEPJSON.decode([String: Int].self, from: response.body)["count"] ?? -1
    }
}

/// `GET …/journal`'s answer.
struct JournalPageBody: Decodable {
    var entries: [JournalEntry]
    var counters: [String: Int]
}
