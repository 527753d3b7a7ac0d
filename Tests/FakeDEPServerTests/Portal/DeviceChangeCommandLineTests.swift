import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `fakedep device replace`, `fakedep device migration-deadline` and `fakedep device cooldown`,
/// run as the built binary, in a world of their own (`--world`).
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct DeviceChangeCommandLineTests {
    @Test func deviceReplaceReplacesADeviceOnItsServer() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let id = try await WorldTests.createWorld(server, seed: #"{"devices":3,"seed":5}"#)
                let world = server.inWorld(id)
                try await world.createPortalServer("CLI MDM")
                let old = try await world.portalSerials()[0]
                try await world.assign([old], to: "CLI MDM")

                let replace = try await FakeDEPBinary.run(
                    ["device", "replace", old, "CLIRPLC00001", "--world", id], server: server, in: directory)
                #expect(replace.status == 0, "\(replace)")
                #expect(replace.standardOutput.hasPrefix("CLIRPLC00001 replaces \(old) (released) on "))
                #expect(replace.standardOutput.hasSuffix(", assigned to CLI MDM.\n"))
                #expect(try await world.portalSerials("server=CLI%20MDM") == ["CLIRPLC00001"])

                let again = try await FakeDEPBinary.run(
                    ["device", "replace", old, "CLIRPLC00002", "--world", id], server: server, in: directory)
                #expect(again.status != 0)
                #expect(again.standardError.contains("\(old) left the organisation on"), "\(again)")
            }
        }
    }

    @Test func deviceMigrationDeadlineSetsAndClearsIt() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let id = try await WorldTests.createWorld(server, seed: #"{"devices":3,"seed":5}"#)
                let serial = try await server.inWorld(id).portalSerials()[0]

                let set = try await FakeDEPBinary.run(
                    ["device", "migration-deadline", serial, "2027-01-31", "--world", id], server: server,
                    in: directory)
                #expect(set.status == 0, "\(set)")
                #expect(set.standardOutput == "\(serial) must migrate by 2027-01-31T00:00:00Z.\n")

                let clear = try await FakeDEPBinary.run(
                    ["device", "migration-deadline", serial, "--clear", "--world", id], server: server, in: directory)
                #expect(clear.status == 0, "\(clear)")
                #expect(clear.standardOutput == "\(serial) has no migration deadline.\n")

                let neither = try await FakeDEPBinary.run(
                    ["device", "migration-deadline", serial, "--world", id], server: server, in: directory)
                #expect(neither.status != 0)
                #expect(neither.standardError.contains("Give a date or --clear"), "\(neither)")
                let bad = try await FakeDEPBinary.run(
                    ["device", "migration-deadline", serial, "soon", "--world", id], server: server, in: directory)
                #expect(bad.status != 0)
                #expect(bad.standardError.contains("\"soon\" is not a date"), "\(bad)")
            }
        }
    }

    @Test func deviceCooldownStartsAndEndsIt() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let id = try await WorldTests.createWorld(server, seed: #"{"devices":3,"seed":5}"#)
                let serial = try await server.inWorld(id).portalSerials()[0]

                let day = try await FakeDEPBinary.run(
                    ["device", "cooldown", serial, "--world", id], server: server, in: directory)
                #expect(day.status == 0, "\(day)")
                #expect(day.standardOutput.hasPrefix("\(serial) is in a cooldown until "))
                #expect(day.standardOutput.contains("(86400 s): assigning it a profile answers THROTTLED"))
                let hour = try await FakeDEPBinary.run(
                    ["device", "cooldown", serial, "--for", "PT1H", "--world", id], server: server, in: directory)
                #expect(hour.standardOutput.contains("(3600 s)"), "\(hour)")
                let seconds = try await FakeDEPBinary.run(
                    ["device", "cooldown", serial, "--for", "90", "--world", id], server: server, in: directory)
                #expect(seconds.standardOutput.contains("(90 s)"), "\(seconds)")

                let end = try await FakeDEPBinary.run(
                    ["device", "cooldown", serial, "--end", "--world", id], server: server, in: directory)
                #expect(end.status == 0, "\(end)")
                #expect(end.standardOutput == "\(serial) is out of its cooldown.\n")

                let both = try await FakeDEPBinary.run(
                    ["device", "cooldown", serial, "--for", "P1D", "--end", "--world", id], server: server,
                    in: directory)
                #expect(both.status != 0)
                #expect(both.standardError.contains("Give --for or --end, not both."), "\(both)")
                let bad = try await FakeDEPBinary.run(
                    ["device", "cooldown", serial, "--for", "soon", "--world", id], server: server, in: directory)
                #expect(bad.status != 0)
                #expect(bad.standardError.contains(#"not "soon""#), "\(bad)")
                let unknown = try await FakeDEPBinary.run(
                    ["device", "cooldown", TestServer.unknownSerial, "--world", id], server: server, in: directory)
                #expect(unknown.status != 0)
                #expect(unknown.standardError.contains("belongs to the organisation"), "\(unknown)")
            }
        }
    }
}
