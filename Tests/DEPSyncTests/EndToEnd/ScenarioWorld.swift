import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import FakeDEPTesting
import Foundation

/// A world made from one of fakedep's shipped scenarios, its document unchanged, with a
/// `depsync` agent enrolled with the scenario's "Test MDM" over libcurl; and what a test reads
/// and moves in that world meanwhile: its journal, its clock, its fault rules.
struct ScenarioWorld: Sendable {
    let id: String
    /// The test server, its portal calls going to this world.
    let server: TestServer
    let mdm: MDMHarness

    /// The MDM server every shipped scenario sets up, holding 40 of the world's 60 devices.
    static let serverName = "Test MDM"

    /// The scenarios the end-to-end tests cover, one test each.
    static let covered = [
        "echoed-cursor", "expired-cursor", "failed-devices", "flaky-network", "session-loss-and-rotation",
        "terms-mid-sync", "throttled-assignment", "token-expired", "token-expiring",
    ]

    /// Runs `body` in a new world made from the shipped scenario `name`, with an agent enrolled
    /// that retries transient failures as `retry` says.
    static func with<T: Sendable>(
        _ name: String, retry: RetryPolicy = .quick, _ body: @Sendable (ScenarioWorld) async throws -> T
    ) async throws -> T {
        try await TestServer.with { root in
            let document = String(decoding: try Scenario.shipped(name).json(), as: UTF8.self)
            let created = try await root.send("POST", "/_fakedep/worlds", json: #"{"scenario":"# + document + "}")
            guard created.status == 201 else { throw PortalFailure(response: created) }
            let id = try DEPJSON.decode(WorldSummary.self, from: created.body).id
            let server = root.inWorld(id)
            return try await MDMHarness.with(server, name: serverName, retry: retry) { mdm in
                try await mdm.enrolWithExistingServer()
                return try await body(ScenarioWorld(id: id, server: server, mdm: mdm))
            }
        }
    }

    var agent: Agent { mdm.agent }

    /// The world's journal entries (of `operation`, when given), oldest first. Read as Swift
    /// values: their `time` keeps the fractions of a second that a `Retry-After` check needs.
    func journal(_ operation: String? = nil) throws -> [JournalEntry] {
        try server.fakeWorld(id).journal.entries(matching: JournalFilter(operation: operation))
    }

    /// Moves the world's business clock on by an ISO 8601 duration; the agent's clock stays.
    func advanceWorldClock(by duration: String) async throws {
        let moved = try await server.send(
            "POST", "/_fakedep/worlds/\(id)/clock/advance", json: #"{"by":"\#(duration)"}"#)
        guard moved.status == 200 else { throw PortalFailure(response: moved) }
    }

    /// Drops the world's fault rules, as `fakedep fault remove --all` does.
    func removeFaults() async throws {
        let removed = try await server.send("DELETE", "/_fakedep/worlds/\(id)/faults")
        guard removed.status == 204 else { throw PortalFailure(response: removed) }
    }

    /// The serials the world's portal lists on Test MDM.
    func serversSerials() async throws -> Set<String> {
        let page = try await server.portal(
            "GET", "/devices?limit=1000&server=Test%20MDM", body: nil, contentType: "application/json")
        guard page.status == 200 else { throw PortalFailure(response: page) }
        return Set(try DEPJSON.decode(DevicePage.self, from: page.body).devices.map(\.serialNumber))
    }

    /// Every device the agent has stored, removed ones included.
    func storedDevices() async throws -> [LocalDevice] {
        var devices: [LocalDevice] = []
        for try await device in agent.store.allDevices() { devices.append(device) }
        return devices
    }

    /// A profile defined with the service through the agent; its UUID.
    func defineProfile() async throws -> String {
        try await agent.defineProfile(Profile(profileName: "Scenario", url: "https://mdm.example.com/enroll"))
            .profileUUID
    }
}

extension RetryPolicy {
    /// Retries as the agent does by default, with backoff ceilings of a tenth of a second so that
    /// tests wait only where the service asks them to (`Retry-After`).
    static var quick: RetryPolicy {
        var policy = RetryPolicy()
        policy.baseDelay = 0.05
        policy.maxDelay = 0.1
        return policy
    }
}
