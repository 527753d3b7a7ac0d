import ArgumentParser
import DEPSync

/// `depsync`: the MDM-side agent that syncs DEP devices into a local store.
@main
struct DEPSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "depsync",
        abstract: "Sync the devices Apple's DEP assigns to your MDM server into a local store.",
        discussion: """
            Talks to https://mdmenrollment.apple.com or to any fakedep (--url). Start with \
            `depsync token request`, upload the certificate it writes to the portal, download the \
            server token and `depsync token import` it; then `depsync sync`.
            """,
        version: DEPSyncConfiguration.version,
        subcommands: [
            TokenCommand.self, AccountCommand.self, SyncCommand.self, DevicesCommand.self, StatusCommand.self,
            ProfileCommand.self, PortalCommand.self, EventsCommand.self, ABMCommand.self,
        ]
    )

    static func main() async {
        MallocTuning.apply()
        await main(nil)
    }
}
