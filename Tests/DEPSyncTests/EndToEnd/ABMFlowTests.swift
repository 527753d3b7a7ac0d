import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import FakeDEPTesting
import Foundation
import Logging
import Testing

/// `depsync abm` against a real fakedep over libcurl: activities that reach the DEP sync of the
/// server they name, portal changes that reach the inventory through the audit log, and a token
/// the service expired before depsync's clock said so.
struct ABMFlowTests {
    @Test func devicesAssignedThroughAnActivityArriveInTheServersDEPSync() async throws {
        try await TestServer.with { server in
            try await MDMHarness.with(server) { mdm in
                try await mdm.enrol()
                _ = try await mdm.agent.sync()
                try await ABMLogin.login(server, agent: mdm.agent, state: mdm.stateDirectory)
                let serials = try await server.freeSerials(3)
                let unknown = "ZZUNKNOWN0001"

                // The world's clock stands for the poll's wait: fakedep completes an activity
                // after two seconds of it.
                let report = try await mdm.agent.abmChangeAssignment(
                    .assignDevices, serials: serials + [unknown], server: mdm.name,
                    sleep: { server.clock.advance(by: $0) })

                #expect(report.status == "COMPLETED")
                #expect(report.rows.map(\.serial) == serials + [unknown])
                #expect(report.rows.prefix(3).allSatisfy { $0.succeeded }, "\(report.rows)")
                #expect(report.failures.map(\.serial) == [unknown])
                let sync = try await mdm.agent.sync()
                #expect(sync.changes.added == 3)
                #expect(try await mdm.storedSerials() == Set(serials))

                let unassigned = try await mdm.agent.abmChangeAssignment(
                    .unassignDevices, serials: [serials[0]], server: mdm.name, sleep: { server.clock.advance(by: $0) })
                #expect(unassigned.failures.isEmpty, "\(unassigned.rows)")
                #expect(try await mdm.agent.sync().changes.removed == 1)
            }
        }
    }

    @Test func anUnknownServerNameListsTheOrganisationsServers() async throws {
        try await TestServer.with { server in
            try await MDMHarness.with(server) { mdm in
                try await mdm.enrol()
                try await ABMLogin.login(server, agent: mdm.agent, state: mdm.stateDirectory)
                await #expect {
                    _ = try await mdm.agent.abmChangeAssignment(
                        .assignDevices, serials: ["C02FKD0001XY"], server: "Nope")
                } throws: { error in
                    "\(error)".contains("no MDM server is named \"Nope\"") && "\(error)".contains("\"E2E MDM\"")
                }
            }
        }
    }

    @Test func aPortalUnassignmentReachesTheInventoryThroughTheAuditLog() async throws {
        try await TestServer.with { server in
            try await MDMHarness.with(server) { mdm in
                try await mdm.enrol()
                try await ABMLogin.login(server, agent: mdm.agent, state: mdm.stateDirectory)
                let serials = try await server.freeSerials(2)
                try await mdm.assignByCSV(serials)
                // The seed's and the upload's events lie an hour before the first listing, out of
                // the next refresh's reach.
                server.clock.advance(by: 3600)

                let first = try await mdm.agent.abmRefreshDevices()
                #expect(first.full)
                #expect(first.serviceTime == server.clock.now)
                let assigned = try await server.serials(DeviceFilter(status: "assigned"))
                let unassigned = try await server.serials(DeviceFilter(status: "unassigned"))
                #expect(first.devicesRead == assigned.count + unassigned.count)
                #expect(try await mdm.agent.store.abmDevice(serials[0])?.status == "ASSIGNED")

                // An hour on the world's clock, which is months from ours: the refresh reads the
                // audit log by the service's time.
                server.clock.advance(by: 3600)
                try await mdm.unassign([serials[0]])
                let client = try mdm.agent.abmClient()
                _ = try await client.createActivity(
                    OrgDeviceActivityCreateRequest(.releaseDevices, serials: [serials[1]]))
                server.clock.advance(by: 60)

                let refresh = try await mdm.agent.abmRefreshDevices(client: client)
                #expect(!refresh.full)
                #expect(refresh.devicesRead == 2)
                #expect(refresh.changed == 1 && refresh.removed == 1)
                #expect(refresh.serviceTime == server.clock.now)
                let portalUnassigned = try #require(try await mdm.agent.store.abmDevice(serials[0]))
                #expect(portalUnassigned.status == "UNASSIGNED" && portalUnassigned.removed == nil)
                let released = try #require(try await mdm.agent.store.abmDevice(serials[1]))
                #expect(released.status == "RELEASED" && released.released != nil)

                var events: [AuditEvent] = []
                try await client.auditEventPages(from: first.serviceTime, to: refresh.serviceTime) { events += $0 }
                let portal = events.filter { $0.attributes.subjectId == serials[0] }
                #expect(portal.map(\.attributes.type) == ["DEVICE_UNASSIGNED_FROM_SERVER"])
                #expect(portal.first?.attributes.actorType == "USER")
                #expect(
                    events.contains { $0.attributes.subjectId == serials[1] && $0.attributes.actorType == "API_USER" })

                // Nothing happened since: the next refresh changes nothing.
                let quiet = try await mdm.agent.abmRefreshDevices(client: client)
                #expect(!quiet.full && quiet.changed == 0 && quiet.removed == 0)
            }
        }
    }

    @Test func aTokenTheServiceExpiredIsReplacedOnceAndTheCallGoesThrough() async throws {
        try await TestServer.with { server in
            try await ScratchDirectory.with { directory in
                // Our clock is the real one, the world's moves: the cached token looks fresh to
                // depsync when the service has expired it.
                let state = directory.appendingPathComponent("state")
                let agent = try Agent(
                    configuration: DEPSyncConfiguration(baseURL: server.baseURL, stateDirectory: state.path))
                try await ABMLogin.login(server, agent: agent, state: state)
                let client = try agent.abmClient()
                let before = try await client.servers()
                #expect(await client.tokensMinted == 0)

                server.clock.advance(by: 3601)
                let after = try await agent.abmServers(client: client)

                #expect(after.map(\.id) == before.map(\.id))
                #expect(await client.tokensMinted == 1)
                let refused = try server.fakeWorld(WorldRegistry.defaultID).journal.entries().filter {
                    $0.path.hasPrefix("/v1/") && $0.status == 401
                }
                #expect(refused.count == 1)
            }
        }
    }
}

extension ABMFlowTests {
    @Test(arguments: [APIAccountKeyFormat.apple, .pkcs8])
    func aKeyInApplesFormOrPlainPKCS8LogsIn(_ format: APIAccountKeyFormat) async throws {
        try await TestServer.with { server in
            try await MDMHarness.with(server) { mdm in
                try await mdm.enrol()
                try await ABMLogin.login(server, agent: mdm.agent, state: mdm.stateDirectory, keyFormat: format)
                let servers = try await mdm.agent.abmServers()
                #expect(servers.compactMap(\.attributes?.serverName).contains(mdm.name))
            }
        }
    }
}

/// An API account made in the portal and logged in with, its key written where the portal's
/// download would land.
enum ABMLogin {
    static func login(_ server: TestServer, agent: Agent, state: URL, keyFormat: APIAccountKeyFormat = .apple)
        async throws
    {
        let account = try await server.createAPIAccount(name: "depsync", keyFormat: keyFormat)
        let keyFile = state.deletingLastPathComponent().appendingPathComponent("abm-download.pem")
        try Data(account.privateKey.utf8).write(to: keyFile)
        _ = try await agent.abmLogin(
            clientID: account.clientID, keyID: account.keyID, keyPEM: Data(account.privateKey.utf8),
            keyPath: keyFile.path, url: server.baseURL)
    }
}
