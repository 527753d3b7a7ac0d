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

    @Option(help: "Seconds a client has to send a request head, from connecting or from its next request's first byte.")
    var headerTimeout: Double = 10

    @Option(help: "Seconds a kept-alive connection may wait for the next request (or for more of a request body).")
    var idleTimeout: Double = 60

    @Option(help: "Connections open at once; more are closed on arrival (default 1000, fewer under a low ulimit -n).")
    var maxConnections: Int?

    @Option(help: "The largest request body, in bytes, any route accepts.")
    var maxBodySize: Int = HTTPLimits().maximumBodySize

    @Option(help: "The largest CSV upload, in bytes (kept in a file, not in memory).")
    var maxUploadSize: Int = HTTPLimits().maximumUploadSize

    @Option(help: "Keep worlds made through /_fakedep/worlds as SQLite files here (found again at restart).")
    var worldsDir: String?

    @Option(help: "How many requests each world's journal keeps.")
    var journalSize = 10_000

    @Flag(help: "Start with an empty organisation instead of the bundled mock data.")
    var noMockData = false

    @Flag(help: "Check profiles exactly as Apple's documentation says (org_magic required).")
    var strictProfiles = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("Unknown log level \(logLevel).") }
        guard headerTimeout > 0, idleTimeout > 0 else {
            throw ValidationError("--header-timeout and --idle-timeout must be more than 0 seconds.")
        }
        guard journalSize > 0 else { throw ValidationError("--journal-size must be at least 1.") }
        guard maxBodySize > 0, maxUploadSize > 0 else {
            throw ValidationError("--max-body-size and --max-upload-size must be at least 1 byte.")
        }
        if let maxConnections {
            let safe = HTTPLimits.safeMaximumConnections
            guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1.") }
            guard maxConnections <= safe else {
                throw ValidationError(
                    """
                    --max-connections \(maxConnections) leaves too few of the \(HTTPLimits.openFileLimit) files this \
                    process may open (ulimit -n): use at most \(safe), or raise the limit.
                    """)
            }
        }
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
        var limits = HTTPLimits(
            headerTimeout: .seconds(headerTimeout), idleTimeout: .seconds(idleTimeout), maximumBodySize: maxBodySize,
            maximumUploadSize: maxUploadSize)
        if let maxConnections { limits.maximumConnections = maxConnections }
        let configuration = FakeDEPConfiguration(
            host: host, port: port, databasePath: db, seedMockData: !noMockData, world: settings, http: limits,
            worldsDirectory: worldsDir, journalSize: journalSize)
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
