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
    var host = ServeEnvironment.value("HOST", default: "127.0.0.1")

    @Option(
        help: ArgumentHelp(
            "Another name the portal, test control and web pages answer to (repeatable).",
            discussion: "They always answer to localhost, 127.0.0.1, [::1] and --host; any other Host is refused."))
    var publicHost: [String] = []

    @Option(
        help: ArgumentHelp(
            "A token the portal, test control and web pages ask for (FAKEDEP_ADMIN_TOKEN keeps it out of ps).",
            discussion: """
                Programs send it as Authorization: Bearer; a browser signs in once at /web/sign-in. Apple's \
                surfaces and /_fakedep/health stay as they are.
                """))
    var adminToken: String?

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = ServeEnvironment.value("PORT", default: 8080)

    @Option(help: "The SQLite file that keeps the world, or :memory:.")
    var db = ServeEnvironment.value("DB", default: "./fakedep.sqlite")

    @Option(help: "Seconds a DEP session may stay idle before it ends.")
    var sessionTTL = ServeEnvironment.value("SESSION_TTL", default: 180.0)

    @Option(help: "Seconds a client has to send a request head, from connecting or from its next request's first byte.")
    var headerTimeout = ServeEnvironment.value("HEADER_TIMEOUT", default: 10.0)

    @Option(help: "Seconds a kept-alive connection may wait for the next request (or for more of a request body).")
    var idleTimeout = ServeEnvironment.value("IDLE_TIMEOUT", default: 60.0)

    @Option(help: "Connections open at once; more are closed on arrival (default 4096, fewer under a low ulimit -n).")
    var maxConnections: Int?

    @Option(help: "The largest request body, in bytes, any route accepts.")
    var maxBodySize = ServeEnvironment.value("MAX_BODY_SIZE", default: HTTPLimits().maximumBodySize)

    @Option(help: "The largest CSV upload, in bytes (kept in a file, not in memory).")
    var maxUploadSize = ServeEnvironment.value("MAX_UPLOAD_SIZE", default: HTTPLimits().maximumUploadSize)

    @Option(help: "Keep worlds made through /_fakedep/worlds as SQLite files here (found again at restart).")
    var worldsDir: String?

    @Option(help: "How many requests each world's journal keeps (0 turns the journal off).")
    var journalSize = ServeEnvironment.value("JOURNAL_SIZE", default: 10_000)

    @Option(
        help:
            "Set the default world up from this scenario (a JSON file, or a shipped one's name) instead of the mock data."
    )
    var scenario: String?

    @Flag(
        help: ArgumentHelp(
            "Serve HTTPS, with a certificate of fakedep's own certificate authority (see `fakedep ca`).",
            discussion: """
                The authority is made on first use and kept in --tls-dir; the server certificate it issues names \
                localhost, 127.0.0.1, ::1, Apple's hosts (mdmenrollment.apple.com, api-business.apple.com, …) and \
                each --public-host.
                """))
    var tls = false

    @Option(
        help: """
            Where --tls keeps its certificate authority and server certificate (default: a fakedep-tls folder beside \
            --db; for :memory:, in --worlds-dir, else ~/.fakedep/tls).
            """)
    var tlsDir: String?

    @Option(help: "Serve HTTPS with this certificate of your own (PEM, its chain after it) instead of fakedep's.")
    var tlsCert: String?

    @Option(help: "The private key (PEM) of --tls-cert.")
    var tlsKey: String?

    @Option(help: "Once listening, write the URL there (for a harness to wait on).")
    var readyFile: String?

    @Flag(help: "Start with an empty organisation instead of the bundled mock data.")
    var noMockData = false

    @Flag(help: "Check profiles exactly as Apple's documentation says (org_magic required).")
    var strictProfiles = false

    @Flag(help: "Refuse an ABM API client assertion whose jti was used before (by default reusable for its life).")
    var refuseReplayedAssertions = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = ServeEnvironment.value("LOG_LEVEL", default: "info")

    /// Each flag, set on the command line or by its variable (`FAKEDEP_TLS=1`…). A flag cannot
    /// default to its variable's value: the argument parser refuses a flag that starts out true.
    private var environmentFlags: (tls: Bool, noMockData: Bool, strictProfiles: Bool, refuseReplayedAssertions: Bool) {
        (
            tls || ServeEnvironment.flag("TLS"), noMockData || ServeEnvironment.flag("NO_MOCK_DATA"),
            strictProfiles || ServeEnvironment.flag("STRICT_PROFILES"),
            refuseReplayedAssertions || ServeEnvironment.flag("REFUSE_REPLAYED_ASSERTIONS")
        )
    }

    func validate() throws {
        // Read now, so a variable that is not 1, true, yes, 0, false or no is reported below.
        _ = environmentFlags
        try ServeEnvironment.validate()
        if let token = adminToken ?? ServeEnvironment.optional("ADMIN_TOKEN"), AdminToken(token) == nil {
            throw ValidationError("--admin-token (FAKEDEP_ADMIN_TOKEN) must not be empty.")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("Unknown log level \(logLevel).") }
        guard headerTimeout > 0, idleTimeout > 0 else {
            throw ValidationError("--header-timeout and --idle-timeout must be more than 0 seconds.")
        }
        guard journalSize >= 0 else {
            throw ValidationError("--journal-size must be 0 (no journal) or more.")
        }
        guard maxBodySize > 0, maxUploadSize > 0 else {
            throw ValidationError("--max-body-size and --max-upload-size must be at least 1 byte.")
        }
        let certificate = tlsCert ?? ServeEnvironment.optional("TLS_CERT")
        let key = tlsKey ?? ServeEnvironment.optional("TLS_KEY")
        guard (certificate == nil) == (key == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together: give both, or neither.")
        }
        if certificate != nil, tlsDir ?? ServeEnvironment.optional("TLS_DIR") != nil {
            throw ValidationError("--tls-dir is where fakedep's own certificate is kept; with --tls-cert it has none.")
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
        settings.profileStrictness = environmentFlags.strictProfiles ? .strict : .lenient
        settings.refusesReplayedAssertions = environmentFlags.refuseReplayedAssertions
        var limits = HTTPLimits(
            headerTimeout: .seconds(headerTimeout), idleTimeout: .seconds(idleTimeout), maximumBodySize: maxBodySize,
            maximumUploadSize: maxUploadSize)
        if let connections = maxConnections ?? ServeEnvironment.optional("MAX_CONNECTIONS") {
            limits.maximumConnections = connections
        }
        var configuration = FakeDEPConfiguration(
            host: host, port: port, databasePath: db, seedMockData: !environmentFlags.noMockData, world: settings,
            http: limits,
            worldsDirectory: worldsDir ?? ServeEnvironment.optional("WORLDS_DIR"), journalSize: journalSize)
        configuration.publicHosts = publicHost.isEmpty ? ServeEnvironment.list("PUBLIC_HOST") : publicHost
        configuration.adminToken = (adminToken ?? ServeEnvironment.optional("ADMIN_TOKEN")).flatMap(AdminToken.init)
        if let warning = configuration.exposureWarning {
            FileHandle.standardError.write(Data((warning + "\n").utf8))
        }
        if let path = scenario ?? ServeEnvironment.optional("SCENARIO") {
            do {
                configuration.scenario = try Scenario.load(path)
            } catch let error as PortalError {
                throw ValidationError("--scenario \(path): \(error.message)")
            }
        }
        configuration.tls = serverTLS(worldsDirectory: configuration.worldsDirectory)
        let authorityFile: String?
        if case .localAuthority(let directory) = configuration.tls {
            authorityFile = (directory as NSString).appendingPathComponent("ca.pem")
        } else {
            authorityFile = nil
        }
        let readyFile = readyFile ?? ServeEnvironment.optional("READY_FILE")
        let guarded = configuration.adminToken != nil
        try await serve(configuration, logger: logger) { [host, configuration] port in
            let url = "\(configuration.tls == nil ? "http" : "https")://\(Self.urlHost(host)):\(port)"
            Self.printNextSteps(url: url, authorityFile: authorityFile, guarded: guarded)
            if let readyFile {
                do {
                    try Data((url + "\n").utf8).write(to: URL(fileURLWithPath: readyFile), options: .atomic)
                } catch {
                    logger.error(
                        "cannot write the ready file", metadata: ["path": "\(readyFile)", "error": "\(error)"])
                }
            }
        }
    }

    /// How to serve TLS, if at all: the user's certificate, else fakedep's own authority in
    /// `--tls-dir` or its default place.
    private func serverTLS(worldsDirectory: String?) -> ServerTLS? {
        if let certificate = tlsCert ?? ServeEnvironment.optional("TLS_CERT"),
            let key = tlsKey ?? ServeEnvironment.optional("TLS_KEY")
        {
            return .certificateFiles(certificate: certificate, key: key)
        }
        guard environmentFlags.tls else { return nil }
        let directory =
            tlsDir ?? ServeEnvironment.optional("TLS_DIR")
            ?? LocalAuthority.defaultDirectory(databasePath: db, worldsDirectory: worldsDirectory)
        return .localAuthority(directory: directory)
    }

    /// `host` as a URL writes it: an IPv6 address in brackets.
    private static func urlHost(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }

    /// The URL alone on the first line (a harness reads it when it asked for port 0), then how to
    /// begin; with fakedep's own authority, the file its clients trust.
    private static func printNextSteps(url: String, authorityFile: String?, guarded: Bool) {
        let trust = authorityFile.map { " --ca-file \($0)" } ?? ""
        print(
            """
            \(url)
            fakedep is serving Apple's DEP API and the portal at \(url)
            Open the web portal at \(url)/ in a browser.
              fakedep server create "My MDM" --certificate cert.pem --url \(url)\(trust)
              fakedep server token "My MDM" --url \(url)\(trust)            # writes the .p7m server token
              fakedep assign --server "My MDM" --csv MockData/csv/assign-sample.csv --url \(url)\(trust)
              fakedep devices --server "My MDM" --url \(url)\(trust)
            Point your MDM's DEP client at \(url) instead of https://mdmenrollment.apple.com.
            """)
        if guarded {
            print(
                """
                The portal, test control and web pages ask for the admin token: the commands above read \
                FAKEDEP_ADMIN_TOKEN (or take --admin-token), a browser signs in at \(url)/web/sign-in.
                """)
        }
        if let authorityFile {
            print("Clients trust fakedep's certificate authority \(authorityFile) (`fakedep ca` prints it).")
        }
        // Through a pipe or a file stdout is block-buffered: a harness waiting for the URL
        // would wait until the server ends.
        fflush(nil)
    }
}
