import DEPCrypto
import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Logging

/// An MDM's `depsync` agent in a scratch state directory, talking over libcurl to a test
/// `fakedep`, on the server's clock; and the portal actions an administrator takes meanwhile.
struct MDMHarness: Sendable {
    let server: TestServer
    let agent: Agent
    let stateDirectory: URL
    let name: String

    /// Runs `body` with an agent whose state lives in a fresh directory, retrying transient
    /// failures as `retry` says (not at all unless told).
    static func with<T: Sendable>(
        _ server: TestServer, name: String = "E2E MDM", retry: RetryPolicy = .never,
        _ body: @Sendable (MDMHarness) async throws -> T
    ) async throws -> T {
        try await ScratchDirectory.with { directory in
            let state = directory.appendingPathComponent("state")
            let harness = MDMHarness(
                server: server, agent: try agent(server, state: state, retry: retry), stateDirectory: state, name: name)
            return try await body(harness)
        }
    }

    /// An agent over `state` that talks to `server` on its clock, without retry waits unless
    /// `retry` asks for them.
    static func agent(_ server: TestServer, state: URL, retry: RetryPolicy = .never) throws -> Agent {
        var configuration = DEPSyncConfiguration(baseURL: server.baseURL, stateDirectory: state.path)
        configuration.retry = retry
        let clock = server.clock
        var logger = Logger(label: "depsync-test")
        logger.logLevel = .warning
        return try Agent(configuration: configuration, now: { clock.now }, logger: logger)
    }

    /// The whole token ceremony through the portal's HTTP API: token request, server created
    /// with the certificate, token downloaded and imported.
    func enrol() async throws {
        let pair = try agent.requestToken()
        let body = try JSONSerialization.data(withJSONObject: ["name": name, "certificate": try pair.certificate.pem])
        let created = try await server.portal("POST", "/servers", body: body, contentType: "application/json")
        guard created.status == 201 else { throw PortalFailure(response: created) }
        _ = try await agent.importToken(try await downloadToken())
    }

    /// The token ceremony for an MDM server that already exists without a key (a scenario's):
    /// the agent's certificate uploaded to it through the portal, its token downloaded and imported.
    func enrolWithExistingServer() async throws {
        let pair = try agent.requestToken()
        let uploaded = try await server.portal(
            "PUT", "/servers/\(escapedName)/certificate", body: Data(try pair.certificate.pem.utf8),
            contentType: "application/x-pem-file")
        guard uploaded.status == 200 else { throw PortalFailure(response: uploaded) }
        _ = try await agent.importToken(try await downloadToken())
    }

    /// The server's current token file, as the portal hands it out.
    func downloadToken() async throws -> Data {
        let token = try await server.portal(
            "GET", "/servers/\(escapedName)/token", body: nil, contentType: "application/json")
        guard token.status == 200 else { throw PortalFailure(response: token) }
        return token.body
    }

    /// Assigns `serials` to this MDM server by a CSV upload; returns the report's text.
    @discardableResult
    func assignByCSV(_ serials: [String]) async throws -> String {
        let csv = "Serial Number\r\n" + serials.map { $0 + "\r\n" }.joined()
        let response = try await server.portal(
            "POST", "/servers/\(escapedName)/devices/csv", body: Data(csv.utf8), contentType: "text/csv")
        guard response.status == 200 else { throw PortalFailure(response: response) }
        return response.text
    }

    /// Unassigns `serials` in the portal.
    func unassign(_ serials: [String]) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["serials": serials])
        let response = try await server.portal(
            "POST", "/devices/unassign", body: body, contentType: "application/json")
        guard response.status == 200 else { throw PortalFailure(response: response) }
    }

    /// The serials the service has assigned to this MDM server.
    func serversSerials() async throws -> Set<String> {
        Set(try await server.serials(DeviceFilter(server: name)))
    }

    /// The serials of the agent's devices that are not removed.
    func storedSerials() async throws -> Set<String> {
        var serials = Set<String>()
        for try await device in agent.store.allDevices() where device.removed == nil {
            serials.insert(device.serialNumber)
        }
        return serials
    }

    private var escapedName: String { PercentEncoding.encode(name) }
}

/// A portal call that did not succeed.
struct PortalFailure: Error, CustomStringConvertible {
    let response: HTTPResponse
    var description: String { "portal answered \(response.status): \(response.text)" }
}
