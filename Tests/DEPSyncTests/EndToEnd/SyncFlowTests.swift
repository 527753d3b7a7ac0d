import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The MDM's whole life with DEP, against a real `fakedep` over libcurl: token, CSV assignment
/// in the portal, sync, profiles, unassignment, an expired cursor.
struct SyncFlowTests {
    @Test func tokenCSVSyncProfileUnassignAndExpiredCursor() async throws {
        try await TestServer.with { server in
            try await MDMHarness.with(server) { mdm in
                try await mdm.enrol()
                let serials = try await server.freeSerials(30)
                let report = try await mdm.assignByCSV(serials)
                #expect(report.components(separatedBy: "assigned").count - 1 == 30, "\(report)")

                // The first sync is a full fetch; nothing has contacted Apple yet.
                let first = try await mdm.agent.sync()
                #expect(first.fullFetch)
                #expect(first.changes.added == 30)
                #expect(try await mdm.storedSerials() == Set(serials))
                let fetched = try await mdm.agent.store.devices()
                #expect(fetched.allSatisfy { $0.enrollmentStatus == .notContacted && $0.profileState == .noProfile })

                // A profile, defined and assigned to every device without one.
                var profile = Profile(profileName: "Corporate", url: "https://mdm.example.com/enroll")
                profile.isSupervised = true
                profile.isMDMRemovable = false
                let uuid = try await mdm.agent.defineProfile(profile).profileUUID
                let assignment = try await mdm.agent.assignProfile(uuid, to: [], unassigned: true)
                #expect(assignment.count(.success) == 30)
                #expect(try await mdm.agent.profile(uuid).profileName == "Corporate")

                // The service's sync confirms the assignment.
                let second = try await mdm.agent.sync()
                #expect(!second.fullFetch)
                #expect(second.changes.modified == 30)
                let assigned = try await mdm.agent.store.devices()
                #expect(assigned.allSatisfy { $0.profileState == .assigned && $0.device.profileUUID == uuid })
                #expect(assigned.allSatisfy { $0.enrollmentStatus == .notContacted })
                let history = try await mdm.agent.store.events(of: serials[0])
                #expect(history.map(\.source) == ["fetch", "assign", "sync"])
                #expect(history.last?.profileStatus == "assigned")

                // Unassigned in the portal: removed at the next sync, the others untouched.
                try await mdm.unassign([serials[0]])
                let third = try await mdm.agent.sync()
                #expect(third.changes.removed == 1)
                #expect(try await mdm.agent.store.device(serials[0])?.enrollmentStatus == .removed)
                #expect(try await mdm.storedSerials() == Set(serials.dropFirst()))
                #expect(try await mdm.storedSerials() == mdm.serversSerials())

                // A device leaves while the agent is away longer than a cursor lives: the
                // refused cursor starts a full fetch, which reconciles the store.
                try await mdm.unassign([serials[1]])
                server.clock.advance(by: 8 * 86400)
                let fourth = try await mdm.agent.sync()
                #expect(fourth.cursorResets == 1)
                #expect(fourth.fullFetch)
                #expect(fourth.changes.removed == 1)
                #expect(try await mdm.agent.store.events(of: serials[1]).last?.source == "reconcile")
                #expect(try await mdm.storedSerials() == mdm.serversSerials())
                let counts = try await mdm.agent.store.counts()
                #expect(counts.byStatus[.removed] == 2)
                #expect(counts.byStatus[.notContacted] == 28)
            }
        }
    }

    @Test func autoAssignGivesArrivingDevicesTheProfile() async throws {
        try await TestServer.with { server in
            try await MDMHarness.with(server) { mdm in
                try await mdm.enrol()
                let uuid = try await mdm.agent.defineProfile(
                    Profile(profileName: "Auto", url: "https://mdm.example.com/enroll")
                ).profileUUID
                let serials = try await server.freeSerials(12)
                try await mdm.assignByCSV(Array(serials.prefix(5)))
                let first = try await mdm.agent.sync(Syncer.Options(autoAssignProfile: uuid))
                #expect(first.autoAssignment?.count(.success) == 5)

                try await mdm.assignByCSV(Array(serials.suffix(7)))
                let second = try await mdm.agent.sync(Syncer.Options(autoAssignProfile: uuid))
                #expect(second.autoAssignment?.count(.success) == 7)
                #expect(second.autoAssignment?.results.map(\.serial) == Array(serials.suffix(7)))

                _ = try await mdm.agent.sync()
                let devices = try await mdm.agent.store.devices()
                #expect(devices.count == 12)
                #expect(devices.allSatisfy { $0.device.profileUUID == uuid && $0.profileState == .assigned })
            }
        }
    }

    @Test func termsNotSignedIsTypedAndChangesNothing() async throws {
        try await TestServer.with { server in
            try await MDMHarness.with(server) { mdm in
                try await mdm.enrol()
                try await mdm.assignByCSV(try await server.freeSerials(3))
                _ = try await mdm.agent.sync()
                let before = try await mdm.agent.store.syncState()
                _ = try await server.portalOrganisation(termsSigned: false)
                await #expect {
                    try await mdm.agent.sync()
                } throws: { error in
                    guard case DEPClientError.termsNotSigned = error else { return false }
                    return "\(error)".contains("accept Apple's terms")
                }
                #expect(try await mdm.agent.store.syncState() == before)
                #expect(try await mdm.agent.store.devices().count == 3)
            }
        }
    }

    @Test func aTokenOfAnotherServerIsRefusedUnlessForced() async throws {
        try await TestServer.with { server in
            try await MDMHarness.with(server) { mdm in
                try await mdm.enrol()
                let stored = try await mdm.agent.store.token()
                // Another server made with the same certificate: a different consumer key.
                let pem = try String(contentsOfFile: mdm.agent.certificatePath, encoding: .utf8)
                let body = try JSONSerialization.data(withJSONObject: ["name": "Other MDM", "certificate": pem])
                _ = try await server.portal("POST", "/servers", body: body, contentType: "application/json")
                let other = try await server.portal(
                    "GET", "/servers/Other%20MDM/token", body: nil, contentType: "application/json")
                await #expect(throws: AgentError.self) { try await mdm.agent.importToken(other.body) }
                #expect(try await mdm.agent.store.token() == stored)
                let forced = try await mdm.agent.importToken(other.body, force: true)
                #expect(forced.consumerKey != stored?.tokens.consumerKey)
            }
        }
    }
}

extension TestServer {
    /// Switches whether the organisation has accepted Apple's terms.
    func portalOrganisation(termsSigned: Bool) async throws -> HTTPResponse {
        let body = try JSONSerialization.data(withJSONObject: ["terms_signed": termsSigned])
        return try await portal("PATCH", "/organisation", body: body, contentType: "application/json")
    }
}
