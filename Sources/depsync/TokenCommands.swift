import ArgumentParser
import DEPSync
import DEPWire
import Foundation

/// `depsync token`: the key pair and the server token.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Make the token request and import the server token.",
        subcommands: [Request.self, Import.self])

    /// `depsync token request`: the key pair and the certificate to upload to the portal.
    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a key pair and write the certificate (.pem) to upload to the portal.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The certificate's common name.") var commonName = "depsync"
        @Flag(help: "Replace an existing key pair.") var force = false

        func run() async throws {
            let agent = try global.agent()
            _ = try agent.requestToken(commonName: commonName, replacing: force)
            print("Wrote the private key and the certificate to upload to the portal: \(agent.certificatePath)")
        }
    }

    /// `depsync token import FILE.p7m`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decrypt a server token (.p7m) downloaded from the portal and store it.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The .p7m file.") var file: String
        @Flag(help: "Replace a stored token of another MDM server.") var force = false

        func run() async throws {
            let agent = try global.agent()
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let tokens = try await agent.importToken(data, force: force)
            print("Imported the server token (consumer key \(tokens.consumerKey.escapingControlCharacters)).")
            print("It expires on \(DEPDate.format(tokens.accessTokenExpiry)).")
            let days = tokens.accessTokenExpiry.timeIntervalSinceNow / 86400
            if days < 30 {
                Terminal.warn("the token expires in \(max(0, Int(days))) days; renew it in the portal soon")
            }
        }
    }
}
