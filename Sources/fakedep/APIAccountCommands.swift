import ArgumentParser
import DEPWire
import FakeDEPServer
import Foundation

/// `fakedep api-account …`: the portal's API accounts for Apple's Business/School Manager API.
struct APIAccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-account",
        abstract: "Create, list and revoke API accounts of the Business/School Manager API (OAuth 2, ES256).",
        subcommands: [List.self, Create.self, Revoke.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the API accounts (never their keys).")
        @OptionGroup var portal: PortalOptions

        func run() async throws {
            let accounts = try await portal.client.json("GET", "/portal/api-accounts", as: [APIAccountSummary].self)
            guard !accounts.isEmpty else {
                return print("No API accounts yet; create one with `fakedep api-account create NAME`.")
            }
            for account in accounts { print(Self.line(account)) }
        }

        static func line(_ account: APIAccountSummary) -> String {
            let state = account.revoked.map { "revoked \(DEPDate.format($0))" } ?? "active"
            // A name is anyone's text: never let it drive the terminal.
            return "\(account.clientID)  key \(account.keyID)  \(account.scope)  \(state)  \(account.name)"
                .escapingControlCharacters
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API account and save its private key, which the portal hands out only now.")
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The account's name.") var name: String
        @Option(help: "business (client id BUSINESSAPI.…, scope business.api) or school (SCHOOLAPI.…, school.api).")
        var service = "business"
        @Option(help: "apple: Apple's PEM (PKCS#8 under an EC PRIVATE KEY label); pkcs8: a plain PRIVATE KEY PEM.")
        var keyFormat = "apple"
        @Option(help: "Where to write the private key (default: <client id>.pem, here).") var keyFile: String?

        func validate() throws {
            guard ABMService(rawValue: service) != nil else {
                throw ValidationError("--service is business or school, not \(service).")
            }
            guard APIAccountKeyFormat(rawValue: keyFormat) != nil else {
                throw ValidationError("--key-format is apple or pkcs8, not \(keyFormat).")
            }
        }

        func run() async throws {
            let created = try await portal.client.json(
                "POST", "/portal/api-accounts",
                body: ["name": name, "service": service, "key_format": keyFormat],
                as: CreatedAPIAccount.self)
            let path = keyFile ?? "\(created.clientID).pem"
            // Created without group or other access: it is a credential.
            guard
                FileManager.default.createFile(
                    atPath: path, contents: Data(created.privateKey.utf8), attributes: [.posixPermissions: 0o600])
            else {
                throw PortalClient.Failure(
                    description: "Cannot write the private key to \(path); the account \(created.clientID) exists, "
                        + "revoke it and create another.")
            }
            print("client id \(created.clientID)")
            print("key id    \(created.keyID)")
            print("scope     \(created.scope)")
            print("Wrote the private key to \(path); the portal will not show it again.")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke an API account: its assertions and access tokens stop working at once.")
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The account's client id.") var clientID: String

        func run() async throws {
            _ = try await portal.client.send("DELETE", "/portal/api-accounts/\(PortalClient.escape(clientID))")
            print("Revoked \(clientID.escapingControlCharacters).")
        }
    }
}
