import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// `fakedep world …` and `--world` on the portal commands, run as the built binary.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct WorldCommandLineTests {
    @Test func worldsAreMadeUsedResetAndDroppedFromTheCommandLine() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let create = try await FakeDEPBinary.run(
                    ["world", "create", "--name", "cli", "--devices", "12", "--seed", "4"], server: server,
                    in: directory)
                #expect(create.status == 0, "\(create)")
                let id = create.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(id.wholeMatch(of: /w[0-9a-f]{12}/) != nil)

                let list = try await FakeDEPBinary.run(["world", "list"], server: server, in: directory)
                #expect(list.standardOutput.contains("\(id)  cli  12 generated devices (seed 4)"))

                let made = try await FakeDEPBinary.run(
                    ["server", "create", "World CLI", "--world", id], server: server, in: directory)
                #expect(made.status == 0, "\(made)")
                let world = server.inWorld(id)
                #expect(
                    try await world.portalValue([MDMServerSummary].self, "GET", "/servers").map(\.name) == ["World CLI"]
                )
                #expect(try await server.portalValue([MDMServerSummary].self, "GET", "/servers").isEmpty)

                let reset = try await FakeDEPBinary.run(["world", "reset", id], server: server, in: directory)
                #expect(reset.status == 0, "\(reset)")
                #expect(try await world.portalValue([MDMServerSummary].self, "GET", "/servers").isEmpty)
                #expect(try await world.portalSerials().count == 12)

                let delete = try await FakeDEPBinary.run(["world", "delete", id], server: server, in: directory)
                #expect(delete.status == 0, "\(delete)")
                let gone = try await FakeDEPBinary.run(
                    ["server", "list", "--world", id], server: server, in: directory)
                #expect(gone.status != 0)
                #expect(gone.standardError.contains("No world has the id"))
            }
        }
    }

    @Test func aWorldIsSavedAndLoadedAgainFromTheCommandLine() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let id = try await WorldTests.createWorld(server, seed: #"{"devices":9}"#)
                try await server.inWorld(id).createPortalServer("Saved")
                let file = directory.appendingPathComponent("saved.fakedep-snapshot").path
                let save = try await FakeDEPBinary.run(
                    ["world", "snapshot", id, "-o", file], server: server, in: directory)
                #expect(save.status == 0, "\(save)")

                let load = try await FakeDEPBinary.run(
                    ["world", "create", "--from-snapshot", file, "--name", "loaded"], server: server, in: directory)
                #expect(load.status == 0, "\(load)")
                let copy = server.inWorld(load.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
                #expect(try await copy.portalValue([MDMServerSummary].self, "GET", "/servers").map(\.name) == ["Saved"])
                #expect(try await copy.portalSerials().count == 9)
                let list = try await FakeDEPBinary.run(["world", "list"], server: server, in: directory)
                #expect(list.standardOutput.contains("loaded  from a snapshot"))

                try Data("{\"format\":\"fakedep-world-snapshot\",\"version\":7}\n".utf8).write(
                    to: URL(fileURLWithPath: file))
                let refused = try await FakeDEPBinary.run(
                    ["world", "create", "--from-snapshot", file], server: server, in: directory)
                #expect(refused.status != 0)
                #expect(refused.standardError.contains("version 7"), "\(refused)")
            }
        }
    }
}

/// Worlds kept in a directory are found again by a new server.
struct KeptWorldTests {
    @Test func aKeptWorldIsReopenedWithItsIdNameAndState() async throws {
        try await ScratchDirectory.with { directory in
            let first = WorldRegistry(
                defaultWorld: try await World(databasePath: ":memory:"), directory: directory)
            let made = try await first.create(name: "kept", seed: .generated(devices: 7, seed: 2))
            _ = try await first.world(made.id).createServer(name: "Kept MDM")

            let second = WorldRegistry(
                defaultWorld: try await World(databasePath: ":memory:"), directory: directory)
            #expect(try await second.reopenKeptWorlds() == 1)
            #expect(try second.summary(made.id) == made)
            #expect(try await second.world(made.id).listServers().map(\.name) == ["Kept MDM"])
            #expect(try await second.world(made.id).listDevices(DeviceFilter()).devices.count == 7)

            try second.delete(made.id)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }

    /// What `fakedep` killed while making a world leaves: a store seeded but never kept.
    @Test func aWorldWhoseMakingWasCutShortIsRemovedNotReopened() async throws {
        try await ScratchDirectory.with { directory in
            let first = WorldRegistry(defaultWorld: try await World(databasePath: ":memory:"), directory: directory)
            let made = try await first.create(name: "whole", seed: .generated(devices: 3, seed: 2))
            let cutShort = try await World(databasePath: directory.appendingPathComponent("w00000000dead.sqlite").path)
            _ = try await cutShort.seed(deviceCount: 5, seed: 3)
            let foreign = try await World(databasePath: directory.appendingPathComponent("notes.sqlite").path)
            _ = try await foreign.seed(deviceCount: 1, seed: 4)

            let second = WorldRegistry(defaultWorld: try await World(databasePath: ":memory:"), directory: directory)
            #expect(try await second.reopenKeptWorlds() == 1)
            #expect(Set(second.list().map(\.id)) == ["default", made.id])
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(!files.contains { $0.hasPrefix("w00000000dead") }, "\(files)")
            #expect(files.contains("notes.sqlite"), "a file not named as a world stays: \(files)")
        }
    }
}
