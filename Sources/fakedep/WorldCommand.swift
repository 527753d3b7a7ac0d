import ArgumentParser
import DEPWire
import FakeDEPServer
import Foundation

/// `fakedep world …`: isolated worlds in one running fakedep, for tests.
struct WorldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "world",
        abstract: "Create, list, reset, snapshot and delete worlds (isolated fake Apples in one server).",
        subcommands: [List.self, Create.self, Reset.self, Snapshot.self, Delete.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the worlds, oldest first.")
        @OptionGroup var server: ServerAccess

        func run() async throws {
            let (data, _) = try await server.client().send("GET", "/_fakedep/worlds")
            for world in try DEPJSON.decode([WorldSummary].self, from: data) { print(WorldCommand.line(world)) }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a world and print its id.",
            discussion: """
                Its seed is the mock organisation unless --devices, --empty, --none or --from-snapshot says \
                otherwise.
                """)
        @OptionGroup var server: ServerAccess
        @Option(help: "A name to tell it by.") var name: String?
        @Option(help: "Seed this many generated devices instead of the mock organisation.") var devices: Int?
        @Option(help: "With --devices: the generator's seed.") var seed: UInt64 = 1
        @Flag(help: "An organisation without devices.") var empty = false
        @Flag(help: "No organisation at all (create one with `fakedep organisation create --world ID`).")
        var none = false
        @Option(help: "Load the world saved in this file by `fakedep world snapshot`.") var fromSnapshot: String?
        @Option(help: "Set the world up from this scenario (a JSON file, or a shipped one's name).") var scenario:
            String?
        @Flag(
            help: """
                With --from-snapshot: the servers hold no token (download new ones from the world's portal), \
                so one snapshot can be loaded into several worlds of one server.
                """)
        var dropTokens = false

        func validate() throws {
            guard [devices != nil, empty, none, fromSnapshot != nil, scenario != nil].filter({ $0 }).count <= 1 else {
                throw ValidationError("Give at most one of --devices, --empty, --none, --from-snapshot and --scenario.")
            }
            guard !dropTokens || fromSnapshot != nil else {
                throw ValidationError("--drop-tokens goes with --from-snapshot.")
            }
        }

        func run() async throws {
            if let scenario {
                let document = try JSONSerialization.jsonObject(with: try Scenario.load(scenario).json())
                var body: [String: Any] = ["scenario": document]
                if let name { body["name"] = name }
                print(try await server.client().json("POST", "/_fakedep/worlds", body: body, as: WorldSummary.self).id)
                return
            }
            if let fromSnapshot {
                let snapshot = try Data(contentsOf: URL(fileURLWithPath: fromSnapshot))
                var query = ["tokens=\(dropTokens ? "drop" : "keep")"]
                if let name { query.append("name=\(PortalClient.escape(name))") }
                let (data, _) = try await server.client().send(
                    "POST", "/_fakedep/worlds?" + query.joined(separator: "&"), body: snapshot,
                    contentType: "application/x-ndjson")
                print(try DEPJSON.decode(WorldSummary.self, from: data).id)
                return
            }
            let worldSeed: WorldSeed =
                if let devices { .generated(devices: devices, seed: seed) } else if empty { .empty } else if none {
                    .none
                } else { .mock }
            var body: [String: Any] = [
                "seed": try JSONSerialization.jsonObject(
                    with: try DEPJSON.encode(worldSeed), options: .fragmentsAllowed)
            ]
            if let name { body["name"] = name }
            let world = try await server.client().json("POST", "/_fakedep/worlds", body: body, as: WorldSummary.self)
            print(world.id)
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Empty a world back to its seed, keeping its id.")
        @OptionGroup var server: ServerAccess
        @Argument(help: "The world's id.") var id: String

        func run() async throws {
            let world = try await server.client().json(
                "POST", "/_fakedep/worlds/\(PortalClient.escape(id))/reset", as: WorldSummary.self)
            print("Reset \(WorldCommand.line(world))")
        }
    }

    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save a world's state to a file, to load later with `fakedep world create --from-snapshot`.")
        @OptionGroup var server: ServerAccess
        @Argument(help: "The world's id.") var id: String
        @Option(name: .shortAndLong, help: "Where to write it (standard output by default).") var output: String?

        func run() async throws {
            let (data, _) = try await server.client().send(
                "GET", "/_fakedep/worlds/\(PortalClient.escape(id))/snapshot")
            if let output {
                try data.write(to: URL(fileURLWithPath: output))
            } else {
                try FileHandle.standardOutput.write(contentsOf: data)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Drop a world and everything in it.")
        @OptionGroup var server: ServerAccess
        @Argument(help: "The world's id.") var id: String

        func run() async throws {
            _ = try await server.client().send("DELETE", "/_fakedep/worlds/\(PortalClient.escape(id))")
            print("Deleted world \(id.escapingControlCharacters).")
        }
    }

    static func line(_ world: WorldSummary) -> String {
        let seed =
            switch world.seed {
            case .mock: "mock organisation"
            case .empty: "empty organisation"
            case .none: "no organisation"
            case .snapshot: "from a snapshot"
            case .scenario: "from a scenario"
            case .generated(let devices, let seed): "\(devices) generated devices (seed \(seed))"
            }
        return "\(world.id)  \(world.name.escapingControlCharacters)  \(seed)  created \(DEPDate.format(world.created))"
    }
}
