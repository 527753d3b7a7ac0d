import ArgumentParser
import Foundation

/// `fakedep`: the fake Apple side — portal, server tokens, the DEP API and the device side.
@main
struct FakeDEPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fakedep",
        abstract: "A local stand-in for Apple's device-enrollment services (DEP / ADE).",
        discussion: """
            `fakedep serve` runs the fake service: Apple's DEP API at the root paths, the portal under \
            /portal/. The other commands are the portal's actions, sent to a running server (--url).
            """,
        subcommands: [
            ServeCommand.self, ServerCommand.self, AssignCommand.self, UnassignCommand.self, ReleaseCommand.self,
            DevicesCommand.self, OrdersCommand.self, SeedCommand.self, OrganisationCommand.self, DeviceCommand.self,
            ConfiguratorCommand.self, WorldCommand.self, ClockCommand.self, JournalCommand.self, FaultCommand.self,
            APIAccountCommand.self, CACommand.self,
        ]
    )
}

/// Where the fakedep server is and how to reach it: the options of every command that talks to it.
struct ServerAccess: ParsableArguments {
    @Option(help: "The fakedep server to talk to.")
    var url = "http://127.0.0.1:8080"

    @Option(help: "How many seconds an answer may take.")
    var timeout: TimeInterval = PortalClient.defaultTimeout

    @Option(help: "The server's admin token, if it has one (default: FAKEDEP_ADMIN_TOKEN).")
    var adminToken: String?

    @Option(help: "A PEM file of certificate authorities to trust for an https:// server; else $FAKEDEP_CA_FILE.")
    var caFile: String?

    /// A client of the server, acting on `world` (the default world if nil).
    func client(world: String? = nil) -> PortalClient {
        PortalClient(
            baseURL: url, world: world, timeout: timeout, adminToken: PortalClient.adminToken(adminToken),
            caFile: PortalClient.trusted(caFile))
    }
}

/// The options every portal command shares: where the server is, and which of its worlds.
struct PortalOptions: ParsableArguments {
    @OptionGroup var server: ServerAccess

    @Option(help: "The world to act on (an id from `fakedep world list`); the default world if absent.")
    var world: String?

    var client: PortalClient { server.client(world: world) }
}
