import ArgumentParser
import DEPSync
import Foundation
import Logging

/// Options every `depsync abm` command shares: where the state is and how to reach the API.
struct ABMOptions: ParsableArguments {
    @Option(help: "The state directory; else $DEPSYNC_STATE, else ./depsync-state.") var state: String?
    @Option(
        help: """
            One base URL for the API and its token endpoint (a fakedep: BASE/v1/…, \
            BASE/auth/oauth2/v2/token); else the one given at login, else Apple's.
            """)
    var url: String?
    @Option(help: "A PEM file of certificate authorities to trust instead of the system's.") var caFile: String?
    @Flag(help: "Do not verify the service's TLS certificate (test servers only).") var insecure = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "warning"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error.")
        }
        if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("--url takes an http:// or https:// URL.")
        }
    }

    /// The agent over the state directory, with logging to standard error. The DEP service's
    /// URL is not this command's business: the remembered one is kept as it is.
    func agent() throws -> Agent {
        LogSetup.once(level: Logger.Level(rawValue: logLevel) ?? .warning)
        let directory =
            state ?? ProcessInfo.processInfo.environment["DEPSYNC_STATE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? DEPSyncConfiguration.defaultStateDirectory
        var configuration = DEPSyncConfiguration(
            baseURL: RememberedServiceURL.read(stateDirectory: directory) ?? DEPSyncConfiguration.defaultBaseURL,
            stateDirectory: directory)
        configuration.transport.caFile = caFile
        configuration.transport.insecure = insecure
        return try Agent(configuration: configuration, logger: Logger(label: "depsync"))
    }

    /// The API client of the state's account, at `--url` when given.
    func client(_ agent: Agent) throws -> ABMClient { try agent.abmClient(url: url) }
}
