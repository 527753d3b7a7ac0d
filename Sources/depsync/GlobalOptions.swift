import ArgumentParser
import DEPSync
import Foundation
import Logging

/// Options every command shares: where the state is and how to reach the service.
///
/// The state directory is `--state`, else `DEPSYNC_STATE`, else `./depsync-state`; the service's
/// URL is `--url`, else `DEPSYNC_URL`, else the URL the state directory remembers, else
/// `http://127.0.0.1:8080`. A URL given with `--url` is remembered for the next commands; so is
/// a `--ca-file` (copied into the state directory), else `DEPSYNC_CA_FILE`, and a new `--url`
/// without one forgets the authorities remembered for the old service.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The state directory (key pair, token, store); else $DEPSYNC_STATE, else ./depsync-state.")
    var state: String?
    @Option(
        help: """
            The DEP service's base URL, remembered in the state directory; else $DEPSYNC_URL, else the \
            remembered one, else \(DEPSyncConfiguration.defaultBaseURL).
            """)
    var url: String?
    @Option(help: "The X-Server-Protocol-Version to speak.") var protocolVersion = 10
    @Option(
        help: """
            A PEM file of certificate authorities to trust instead of the system's for the DEP service (`fakedep ca`), \
            remembered in the state directory; else $DEPSYNC_CA_FILE, else the remembered one.
            """)
    var caFile: String?
    @Flag(help: "Do not verify the service's TLS certificate (test servers only).") var insecure = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "warning"

    /// The state directory: flag, environment, default.
    var stateDirectory: String {
        state ?? Self.environment("DEPSYNC_STATE") ?? DEPSyncConfiguration.defaultStateDirectory
    }

    /// The service's URL: flag, environment, remembered, default.
    var serviceURL: String {
        url ?? Self.environment("DEPSYNC_URL") ?? RememberedServiceURL.read(stateDirectory: stateDirectory)
            ?? DEPSyncConfiguration.defaultBaseURL
    }

    var configuration: DEPSyncConfiguration {
        var configuration = DEPSyncConfiguration(baseURL: serviceURL, stateDirectory: stateDirectory)
        configuration.protocolVersion = protocolVersion
        configuration.transport.caFile =
            caFile ?? Self.environment("DEPSYNC_CA_FILE") ?? RememberedServiceCA.file(stateDirectory: stateDirectory)
        configuration.transport.insecure = insecure
        return configuration
    }

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error.")
        }
        if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("--url takes an http:// or https:// URL.")
        }
    }

    /// The agent over the state directory, with logging to standard error; a `--url` given is
    /// remembered there.
    func agent() throws -> Agent {
        LogSetup.once(level: Logger.Level(rawValue: logLevel) ?? .warning)
        let remembered = RememberedServiceURL.read(stateDirectory: stateDirectory)
        let agent = try Agent(configuration: configuration, logger: Logger(label: "depsync"))
        if let caFile {
            try RememberedServiceCA.remember(caFile: caFile, stateDirectory: stateDirectory)
        } else if let url, url != remembered {
            try RememberedServiceCA.forget(stateDirectory: stateDirectory)
        }
        if let url { try RememberedServiceURL.remember(url, stateDirectory: stateDirectory) }
        return agent
    }

    /// An environment variable's value, unless it is unset or empty.
    private static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Logging goes to standard error, set up once per process.
enum LogSetup {
    nonisolated(unsafe) private static var done = false

    static func once(level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
