import ArgumentParser
import DEPSync
import Foundation
import Logging

/// Options every command shares: where the state is and how to reach the service.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The state directory (key pair, token, store).") var state = "./depsync-state"
    @Option(help: "The DEP service's base URL.") var url = "http://127.0.0.1:8080"
    @Option(help: "The X-Server-Protocol-Version to speak.") var protocolVersion = 10
    @Option(help: "A PEM file of certificate authorities to trust instead of the system's.") var caFile: String?
    @Flag(help: "Do not verify the service's TLS certificate (test servers only).") var insecure = false
    @Option(help: "Log level: trace, debug, info, notice, warning, error.") var logLevel = "warning"

    var configuration: DEPSyncConfiguration {
        var configuration = DEPSyncConfiguration(baseURL: url, stateDirectory: state)
        configuration.protocolVersion = protocolVersion
        configuration.transport.caFile = caFile
        configuration.transport.insecure = insecure
        return configuration
    }

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error.")
        }
    }

    /// The agent over the state directory, with logging to standard error.
    func agent() throws -> Agent {
        LogSetup.once(level: Logger.Level(rawValue: logLevel) ?? .warning)
        return try Agent(configuration: configuration, logger: Logger(label: "depsync"))
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
