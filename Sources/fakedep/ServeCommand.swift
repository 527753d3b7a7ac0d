import ArgumentParser
import DEPWire
import FakeDEPServer
import Foundation
import Logging

/// `fakedep serve`: runs the fake Apple service until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the fake Apple service (portal and DEP API) on one port.")

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "The SQLite file that keeps the world, or :memory:.")
    var db = "./fakedep.sqlite"

    @Option(help: "Seconds a DEP session may stay idle before it ends.")
    var sessionTTL: Double = 180

    @Flag(help: "Start with an empty organisation instead of the bundled mock data.")
    var noMockData = false

    @Flag(help: "Check profiles exactly as Apple's documentation says (org_magic required).")
    var strictProfiles = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("Unknown log level \(logLevel).") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "fakedep")
        var settings = World.Settings()
        settings.sessionIdleLifetime = sessionTTL
        settings.profileStrictness = strictProfiles ? .strict : .lenient
        let configuration = FakeDEPConfiguration(
            host: host, port: port, databasePath: db, seedMockData: !noMockData, world: settings)
        try await serve(configuration, logger: logger) { port in
            Self.printNextSteps(host: configuration.host, port: port)
        }
    }

    private static func printNextSteps(host: String, port: Int) {
        let url = "http://\(host):\(port)"
        print(
            """
            fakedep is serving Apple's DEP API and the portal at \(url)
              fakedep server create "My MDM" --certificate cert.pem --url \(url)
              fakedep server token "My MDM" --url \(url)            # writes the .p7m server token
              fakedep assign --server "My MDM" --csv MockData/csv/assign-sample.csv --url \(url)
              fakedep devices --server "My MDM" --url \(url)
            Point your MDM's DEP client at \(url) instead of https://mdmenrollment.apple.com.
            """)
        try? FileHandle.standardOutput.synchronize()
    }
}
