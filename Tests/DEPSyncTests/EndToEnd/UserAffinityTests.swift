import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The user-affinity flow against a real `fakedep`: the two console samples defined and
/// assigned, a device assigned to a user, listed and identified in the portal; kiosk devices
/// refused; a device changing hands only after it is retired.
struct UserAffinityTests {
    private func define(_ sample: String, with mdm: MDMHarness) async throws -> String {
        let url = Repository.url("MockData/profiles/\(sample)")
        let definition = try ProfileDefinition.readFile(try Data(contentsOf: url), path: url.path)
        return try await mdm.agent.defineProfile(definition).profileUUID
    }

    @Test func portalServesOnlyAffinityDevicesOfTheirUser() async throws {
        try await TestServer.with { server in
            try await MDMHarness.with(server) { mdm in
                try await mdm.enrol()
                let serials = try await server.freeSerials(6)
                try await mdm.assignByCSV(serials)
                _ = try await mdm.agent.sync()

                let affinity = try await define("console-user-affinity.json", with: mdm)
                let kiosk = try await define("console-kiosk.json", with: mdm)
                #expect(try await mdm.agent.store.userAffinity(ofProfile: affinity) == .prompt)
                #expect(try await mdm.agent.store.userAffinity(ofProfile: kiosk) == .noAffinity)
                #expect(try await mdm.agent.store.description(ofProfile: kiosk)?.contains("point-of-sale") == true)
                // The service got the supervising host certificate.
                #expect(try await mdm.agent.profile(affinity).supervisingHostCerts?.count == 1)

                let phones = Array(serials.prefix(4))
                let lobby = Array(serials.suffix(2))
                #expect(try await mdm.agent.assignProfile(affinity, to: phones).count(.success) == 4)
                #expect(try await mdm.agent.assignProfile(kiosk, to: lobby).count(.success) == 2)
                _ = try await mdm.agent.sync()

                let alice = "alice@acme.example"
                let bob = "bob@acme.example"
                try await mdm.agent.assignUser(serial: phones[0], upn: alice)
                try await mdm.agent.assignUser(serial: phones[1], upn: alice)
                try await mdm.agent.assignUser(serial: phones[2], upn: bob)

                // Each user sees their own devices only; the UPN compares case-insensitively.
                #expect(try await mdm.agent.portalDevices(upn: alice).map(\.serialNumber) == [phones[0], phones[1]])
                #expect(try await mdm.agent.portalDevices(upn: "Bob@Acme.example").map(\.serialNumber) == [phones[2]])
                #expect(try await mdm.agent.portalDevices(upn: "carol@acme.example").isEmpty)

                // A wrong last four is refused and changes nothing.
                let before = try await mdm.agent.portalDevices(upn: alice)
                let wrong = phones[0].hasSuffix("0000") ? "1111" : "0000"
                await #expect {
                    try await mdm.agent.identify(upn: alice, serial: phones[0], confirmLast4: wrong)
                } throws: { error in
                    guard let refusal = error as? UserAffinityError, case .confirmationMismatch = refusal else {
                        return false
                    }
                    return "\(error)".contains("nothing was changed")
                }
                #expect(try await mdm.agent.portalDevices(upn: alice) == before)
                #expect(before.allSatisfy { $0.identified == nil })

                // The right one, in any case, is accepted and recorded.
                let identified = try await mdm.agent.identify(
                    upn: alice, serial: phones[0], confirmLast4: phones[0].suffix(4).lowercased())
                #expect(identified.identified == server.clock.now)
                #expect(try await mdm.agent.portalDevices(upn: alice).first?.identified == server.clock.now)

                // Another user's device cannot be identified.
                await #expect(throws: UserAffinityError.notUsersDevice(serial: phones[2], user: alice)) {
                    try await mdm.agent.identify(
                        upn: alice, serial: phones[2], confirmLast4: String(phones[2].suffix(4)))
                }

                // Kiosk devices refuse the portal, and a device without a profile has no user.
                await #expect {
                    try await mdm.agent.assignUser(serial: lobby[0], upn: alice)
                } throws: { error in
                    guard let refusal = error as? UserAffinityError, case .noUserAffinity = refusal else {
                        return false
                    }
                    return "\(error)".contains("kiosk")
                }
                await #expect(throws: UserAffinityError.self) {
                    try await mdm.agent.identify(upn: alice, serial: lobby[0], confirmLast4: String(lobby[0].suffix(4)))
                }
                await #expect(throws: UserAffinityError.unknownDevice(serial: "NOSUCHSERIAL")) {
                    try await mdm.agent.assignUser(serial: "NOSUCHSERIAL", upn: alice)
                }

                // A device changes hands only once retired: its profile removed, then enrolled again.
                await #expect(throws: UserAffinityError.assignedToAnotherUser(serial: phones[0], user: alice)) {
                    try await mdm.agent.assignUser(serial: phones[0], upn: bob)
                }
                #expect(try await mdm.agent.removeProfile(from: [phones[0]]).count(.success) == 1)
                #expect(try await mdm.agent.portalDevices(upn: alice).map(\.serialNumber) == [phones[1]])
                await #expect(throws: UserAffinityError.noProfile(serial: phones[0])) {
                    try await mdm.agent.assignUser(serial: phones[0], upn: bob)
                }
                _ = try await mdm.agent.sync()
                #expect(try await mdm.agent.assignProfile(affinity, to: [phones[0]]).count(.success) == 1)
                _ = try await mdm.agent.sync()
                try await mdm.agent.assignUser(serial: phones[0], upn: bob)
                #expect(
                    try await mdm.agent.portalDevices(upn: bob).map(\.serialNumber) == [phones[0], phones[2]].sorted())

                // A device the portal unassigns leaves its user at the next sync.
                try await mdm.unassign([phones[1]])
                _ = try await mdm.agent.sync()
                #expect(try await mdm.agent.portalDevices(upn: alice).isEmpty)
            }
        }
    }

    @Test func aProfileDefinedFromAppleJSONHasNoKnownAffinity() async throws {
        try await TestServer.with { server in
            try await MDMHarness.with(server) { mdm in
                try await mdm.enrol()
                let serials = try await server.freeSerials(1)
                try await mdm.assignByCSV(serials)
                _ = try await mdm.agent.sync()
                let url = Repository.url("MockData/profiles/user-affinity.json")
                let uuid = try await mdm.agent.defineProfile(
                    ProfileDefinition.readFile(try Data(contentsOf: url), path: url.path)
                ).profileUUID
                _ = try await mdm.agent.assignProfile(uuid, to: serials)
                await #expect {
                    try await mdm.agent.assignUser(serial: serials[0], upn: "alice@acme.example")
                } throws: { error in
                    guard let refusal = error as? UserAffinityError, case .affinityUnknown = refusal else {
                        return false
                    }
                    return "\(error)".contains("user_affinity")
                }
            }
        }
    }
}
