import ArgumentParser
import DEPCrypto
import FakeDEPServer
import Foundation

/// `fakedep ca`: prints the certificate authority `serve --tls` issues its certificate from, for
/// clients to trust; makes it first when there is none yet.
struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "Print the certificate authority (PEM) that clients of `fakedep serve --tls` trust.",
        discussion: """
            It is the one `fakedep serve --tls` with the same --db, --worlds-dir and --tls-dir (or their FAKEDEP_* \
            variables) uses, made now if it does not exist yet. How to trust it goes to standard error.
            """)

    @Option(help: "The store `serve` uses: the authority is kept in a fakedep-tls folder beside it.")
    var db = ServeEnvironment.value("DB", default: "./fakedep.sqlite")

    @Option(help: "The worlds directory `serve` uses: with --db :memory:, the authority is kept there.")
    var worldsDir: String?

    @Option(help: "The folder `serve --tls-dir` uses, when it was given one.")
    var tlsDir: String?

    func validate() throws {
        try ServeEnvironment.validate()
    }

    func run() throws {
        let directory =
            tlsDir ?? ServeEnvironment.optional("TLS_DIR")
            ?? LocalAuthority.defaultDirectory(
                databasePath: db, worldsDirectory: worldsDir ?? ServeEnvironment.optional("WORLDS_DIR"))
        let authority = try LocalAuthority.open(directory: directory)
        print(try authority.certificate.pem, terminator: "")
        let file = authority.certificateFile
        FileHandle.standardError.write(
            Data(
                """
                This is \(file). Trust it in a client:
                  depsync … --ca-file \(file)         fakedep … --ca-file \(file)
                  curl --cacert \(file) …             SSL_CERT_FILE=\(file) (OpenSSL, Go)   CURL_CA_BUNDLE=\(file) (curl)
                  the system's store (Debian): sudo cp \(file) /usr/local/share/ca-certificates/fakedep.crt && sudo update-ca-certificates

                """.utf8))
    }
}
