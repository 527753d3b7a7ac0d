import ArgumentParser
import DEPWire
import FakeDEPServer
import Foundation

/// `fakedep fault …`: a world's scripted faults, checked in order against each of its requests.
struct FaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault", abstract: "Add, list and remove a world's scripted faults.",
        discussion: """
            A rule matches requests (by operation, MDM server, method), fires among them (the nth, the \
            first N, every one after N, or with a seeded probability) and answers in their place or \
            delays them. The first rule that fires acts; its id is in the request's journal entry.
            """,
        subcommands: [Add.self, List.self, Remove.self], defaultSubcommand: List.self)

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a rule and print its id.",
            discussion: """
                Give the rule with options, or whole as JSON with --json (the body of POST \
                /_fakedep/worlds/{id}/faults). Examples:
                  fakedep fault add --operation fetch_devices --times 2 --error 503 --retry-after 5
                  fakedep fault add --operation account --latency 800 --jitter 200
                  fakedep fault add --json '{"operation": "session", "nth": 3, "error": {"status": 403, "code": "T_C_NOT_SIGNED"}}'
                """)
        @OptionGroup var portal: PortalOptions
        @Option(help: "The operation to match (the journal's names: fetch_devices, session, …).") var operation: String?
        @Option(help: "The MDM server to match, by name.") var server: String?
        @Option(help: "The HTTP method to match.") var method: String?
        @Option(help: "Fire at the nth matching request only.") var nth: Int?
        @Option(help: "Fire at the first N matching requests.") var times: Int?
        @Option(help: "Fire at every matching request after the first N.") var after: Int?
        @Option(help: "Fire with this probability (0 to 1).") var probability: Double?
        @Option(help: "With --probability: the generator's seed, for the same faults on every run.") var seed: UInt64?
        @Option(help: "Retire the rule after this much world time (ISO 8601 duration or seconds).") var ttl: String?
        @Option(help: "Answer with this HTTP status (400 to 599).") var error: Int?
        @Option(help: "With --error: the plain-text code in the body (Apple's for the status by default).")
        var code: String?
        @Option(help: "With --error: the Retry-After header.") var retryAfter: String?
        @Option(help: "Delay the answer by this many milliseconds.") var latency: Int?
        @Option(help: "With --latency: up to this many more milliseconds, drawn from the seed.") var jitter: Int?
        @Option(help: "The whole rule as JSON, instead of the options above.") var json: String?

        func run() async throws {
            let body = try json.map { Data($0.utf8) } ?? JSONSerialization.data(withJSONObject: ruleFromOptions())
            let (data, _) = try await portal.client.send("POST", FaultCommand.path(portal), body: body)
            let listing = try DEPJSON.decode(FaultListing.self, from: data)
            print(listing.id)
        }

        /// The rule the options give; the server judges it.
        private func ruleFromOptions() -> [String: Any] {
            var rule: [String: Any] = [:]
            rule["operation"] = operation
            rule["server"] = server
            rule["method"] = method
            rule["nth"] = nth
            rule["times"] = times
            rule["after"] = after
            rule["probability"] = probability
            rule["seed"] = seed
            rule["ttl"] = ttl.map { Double($0) ?? $0 as Any }
            if let error {
                var fields: [String: Any] = ["status": error]
                fields["code"] = code
                fields["retry_after"] = retryAfter.map { Int($0) ?? $0 as Any }
                rule["error"] = fields
            }
            if let latency {
                var fields: [String: Any] = ["ms": latency]
                fields["jitter_ms"] = jitter
                rule["latency"] = fields
            }
            return rule
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the rules in order, with how often each matched and fired.")
        @OptionGroup var portal: PortalOptions

        func run() async throws {
            let rules = try await portal.client.json("GET", FaultCommand.path(portal), as: [FaultListing].self)
            for listing in rules {
                let rule = String(decoding: try DEPJSON.encode(listing.rule), as: UTF8.self)
                let retired = listing.retired ? "  retired" : ""
                print("\(listing.id)  matched \(listing.matched)  fired \(listing.fired)\(retired)  \(rule)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove one rule, or all with --all.")
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The rule's id (f1, f2, …).") var id: String?
        @Flag(help: "Remove every rule.") var all = false

        func validate() throws {
            guard (id == nil) == all else { throw ValidationError("Give a rule's id or --all.") }
        }

        func run() async throws {
            let path = FaultCommand.path(portal) + (id.map { "/" + PortalClient.escape($0) } ?? "")
            _ = try await portal.client.send("DELETE", path)
            print(id.map { "Removed fault rule \($0.escapingControlCharacters)." } ?? "Removed every fault rule.")
        }
    }

    static func path(_ portal: PortalOptions) -> String {
        "/_fakedep/worlds/\(PortalClient.escape(portal.world ?? WorldRegistry.defaultID))/faults"
    }
}
