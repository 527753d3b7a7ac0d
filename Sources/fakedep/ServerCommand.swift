import ArgumentParser
import DEPSync
import DEPWire
import FakeDEPServer
import Foundation

/// `fakedep server …`: the portal's MDM servers.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Create, list, show and delete MDM servers; upload keys; download and revoke tokens.",
        subcommands: [
            List.self, Create.self, Show.self, Delete.self, UploadKey.self, Token.self, RevokeToken.self,
            Defaults.self,
        ],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the MDM servers.")
        @OptionGroup var portal: PortalOptions

        func run() async throws {
            let (data, _) = try await portal.client.send("GET", "/portal/servers")
            let servers = try DEPJSON.decode([MDMServerSummary].self, from: data)
            guard !servers.isEmpty else {
                return print("No MDM servers yet; create one with `fakedep server create NAME`.")
            }
            for server in servers { print(Self.line(server)) }
        }

        static func line(_ server: MDMServerSummary) -> String {
            let token = server.tokenExpiry.map { "token until \(DEPDate.format($0))" } ?? "no token"
            let key = server.hasCertificate ? "key \(server.certificateSubject ?? "uploaded")" : "no key"
            let line = "\(server.uuid)  \(server.name)  \(server.deviceCount) devices  \(key)  \(token)"
            // Names and certificate subjects are anyone's text: never let them drive the terminal.
            return line.escapingControlCharacters
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an MDM server.")
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The server's name.") var name: String
        @Option(help: "Its public key: a PEM certificate file (the MDM's token request).") var certificate: String?
        @Flag(help: "Allow the server to release devices through /devices/disown.") var mayDisown = false

        func run() async throws {
            var body: [String: Any] = ["name": name, "may_disown": mayDisown]
            if let certificate { body["certificate"] = try String(contentsOfFile: certificate, encoding: .utf8) }
            let payload = try JSONSerialization.data(withJSONObject: body)
            let (data, _) = try await portal.client.send("POST", "/portal/servers", body: payload)
            print(List.line(try DEPJSON.decode(MDMServerSummary.self, from: data)))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one MDM server.")
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The server's name or uuid.") var server: String

        func run() async throws {
            let (data, _) = try await portal.client.send("GET", "/portal/servers/\(PortalClient.escape(server))")
            print(String(decoding: data, as: UTF8.self))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an MDM server; its devices become unassigned.")
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The server's name or uuid.") var server: String

        func run() async throws {
            _ = try await portal.client.send("DELETE", "/portal/servers/\(PortalClient.escape(server))")
            print("Deleted \(server).")
        }
    }

    struct UploadKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "upload-key", abstract: "Upload or replace a server's public key (PEM or DER certificate).")
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The server's name or uuid.") var server: String
        @Argument(help: "The certificate file.") var certificate: String

        func run() async throws {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: certificate))
            let (data, _) = try await portal.client.send(
                "PUT", "/portal/servers/\(PortalClient.escape(server))/certificate", body: bytes,
                contentType: "application/x-pem-file")
            print(List.line(try DEPJSON.decode(MDMServerSummary.self, from: data)))
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a new server token (.p7m); the previous one stops working.")
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The server's name or uuid.") var server: String
        @Option(name: .shortAndLong, help: "Where to write it (default: Apple's file name, here).") var output: String?

        func run() async throws {
            let (data, response) = try await portal.client.send(
                "GET", "/portal/servers/\(PortalClient.escape(server))/token")
            let suggested = response.header("Content-Disposition")
                .flatMap(ContentDisposition.fileName(from:))
            // Only a name: a suggestion never chooses the directory.
            let name = suggested.map { URL(fileURLWithPath: $0).lastPathComponent }.flatMap {
                ["", ".", "..", "/"].contains($0) ? nil : $0
            }
            let path = output ?? name ?? "token_smime.p7m"
            try data.write(to: URL(fileURLWithPath: path))
            print("Wrote the server token to \(path).")
        }
    }

    struct RevokeToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-token",
            abstract: "Revoke a server's token: /session refuses it and its sessions end; the key stays.")
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The server's name or uuid.") var server: String

        func run() async throws {
            _ = try await portal.client.send("DELETE", "/portal/servers/\(PortalClient.escape(server))/token")
            print(
                "\(server.escapingControlCharacters) holds no token now; download a new one with `fakedep server token`."
            )
        }
    }

    struct Defaults: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or set the product families whose new devices go to a server by default.",
            discussion: """
                A family (APPLE_TV, IPAD, IPHONE, IPOD, MAC, VISION, WATCH) has one default server; \
                setting it here takes it from another. Devices of those families that join the \
                organisation (seeded, or added with Apple Configurator without a server) are assigned \
                to it. `--families ""` clears them.
                """)
        @OptionGroup var portal: PortalOptions
        @Argument(help: "The server's name or uuid.") var server: String
        @Option(help: "The families, comma-separated (MAC,IPHONE); without it, the defaults are shown.")
        var families: String?

        func run() async throws {
            let path = "/portal/servers/\(PortalClient.escape(server))/default-families"
            let families = families.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            let (data, _) =
                if let families {
                    try await portal.client.send(
                        "PUT", path, body: try JSONSerialization.data(withJSONObject: ["families": families]))
                } else {
                    try await portal.client.send("GET", path)
                }
            let chosen = (try JSONSerialization.jsonObject(with: data) as? [String: [String]])?["families"] ?? []
            let name = server.escapingControlCharacters
            print(
                chosen.isEmpty
                    ? "\(name) is no family's default server."
                    : "\(name) is the default server of \(chosen.joined(separator: ", ")).")
        }
    }
}
