import DEPCrypto
import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The portal's API accounts (peers §5.2): made with a key handed out once, listed without it,
/// revoked, at most 50 at a time.
@Suite struct APIAccountTests {
    @Test func anAccountGetsAClientIDAKeyIDAndAKeyHandedOutOnceInApplesForm() async throws {
        try await TestServer.with { server in
            let business = try await server.createAPIAccount(name: "Inventory sync")
            #expect(business.clientID.hasPrefix("BUSINESSAPI.") && business.scope == "business.api")
            #expect(UUID(uuidString: String(business.clientID.dropFirst("BUSINESSAPI.".count))) != nil)
            #expect(UUID(uuidString: business.keyID) != nil)
            #expect(business.keyFormat == .apple)
            #expect(business.privateKey.hasPrefix("-----BEGIN EC PRIVATE KEY-----\n"))
            let school = try await server.createAPIAccount(name: "Lab", service: .school, keyFormat: .pkcs8)
            #expect(school.clientID.hasPrefix("SCHOOLAPI.") && school.scope == "school.api")
            #expect(school.privateKey.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
            // Both read as P-256 keys; the two forms hold the same kind of PKCS#8 bytes.
            _ = try ECPrivateKey(pem: business.privateKey)
            _ = try ECPrivateKey(pem: school.privateKey)

            let listed = try await server.portal("GET", "/api-accounts", body: nil, contentType: "application/json")
            #expect(!listed.text.contains("PRIVATE KEY") && !listed.text.contains("private_key"))
            let accounts = try DEPJSON.decode([APIAccountSummary].self, from: listed.body)
            #expect(accounts.map(\.clientID) == [business.clientID, school.clientID])
            #expect(accounts.map(\.keyID) == [business.keyID, school.keyID])
            #expect(accounts.allSatisfy { $0.revoked == nil })
        }
    }

    @Test func theKeyIsOneTheOpenSSLCommandReadsInPKCS8Form() async throws {
        try await TestServer.with { server in
            let account = try await server.createAPIAccount(name: "openssl", keyFormat: .pkcs8)
            try await ScratchDirectory.with { directory in
                try Data(account.privateKey.utf8).write(to: directory.appendingPathComponent("key.pem"))
                let text = try await ChildProcess.openssl(["ec", "-in", "key.pem", "-noout", "-text"], in: directory)
                #expect(text.standardOutput.contains("prime256v1") || text.standardOutput.contains("P-256"))
                // Apple's form is DER that openssl reads once it is told the bytes are PKCS#8.
                let apple = try ECPrivateKey(pem: account.privateKey).applePEM
                let body = apple.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
                try Data(base64Encoded: body)!.write(to: directory.appendingPathComponent("key.der"))
                let der = try await ChildProcess.openssl(
                    ["pkey", "-inform", "DER", "-in", "key.der", "-pubout"], in: directory)
                #expect(der.standardOutput == (try ECPrivateKey(pem: account.privateKey).publicKey.pem))
            }
        }
    }

    @Test func theFiftyFirstAccountIsRefusedUntilOneIsRevoked() async throws {
        try await TestServer.with { server in
            var accounts: [CreatedAPIAccount] = []
            for index in 1...50 { accounts.append(try await server.createAPIAccount(name: "Account \(index)")) }
            let refused = try await server.portalProblem(
                "POST", "/api-accounts", json: #"{"name":"Account 51","service":"school"}"#)
            #expect(refused.status == 409 && refused.error == "LIMIT_REACHED")
            #expect(refused.message.contains("already has 50 API accounts"))

            let revoke = try await server.portal("DELETE", "/api-accounts/\(accounts[0].clientID)")
            #expect(revoke.status == 204)
            _ = try await server.createAPIAccount(name: "Account 51")
            let listed = try await server.portalValue([APIAccountSummary].self, "GET", "/api-accounts")
            #expect(listed.count == 51 && listed.filter { $0.revoked != nil }.map(\.clientID) == [accounts[0].clientID])
        }
    }

    @Test func badRequestsAreRefusedInThePortalsShape() async throws {
        try await TestServer.with { server in
            let unknown = try await server.portalProblem("DELETE", "/api-accounts/BUSINESSAPI.nobody")
            #expect(unknown.status == 404 && unknown.message.contains("BUSINESSAPI.nobody"))
            let badService = try await server.portalProblem(
                "POST", "/api-accounts", json: #"{"name":"x","service":"home"}"#)
            #expect(badService.status == 400 && badService.error == "INVALID_REQUEST")
            let empty = try await server.portalProblem("POST", "/api-accounts", json: #"{"name":""}"#)
            #expect(empty.status == 400)
        }
    }

    @Test func accountsLiveInTheirWorldAndASnapshotKeepsThem() async throws {
        try await TestServer.with { server in
            let id = try await WorldTests.createWorld(server)
            let world = server.inWorld(id)
            let account = try await world.createAPIAccount(name: "World account")
            #expect(try await server.portalValue([APIAccountSummary].self, "GET", "/api-accounts").isEmpty)
            let snapshot = try await SnapshotTests.snapshot(server, id)
            #expect(String(decoding: snapshot, as: UTF8.self).contains(account.clientID))
            #expect(String(decoding: snapshot, as: UTF8.self).contains(#""version":2"#))
            let reset = try await server.send("POST", "/_fakedep/worlds/\(id)/reset")
            #expect(reset.status == 200)
            #expect(try await world.portalValue([APIAccountSummary].self, "GET", "/api-accounts").isEmpty)
        }
    }
}

/// `fakedep api-account`, run as the built binary.
@Suite(.enabled(if: FakeDEPBinary.url != nil, "the fakedep binary is not built; run `swift build` first"))
struct APIAccountCommandLineTests {
    @Test func createListAndRevokeFromTheCommandLine() async throws {
        try await ScratchDirectory.with { directory in
            try await TestServer.with { server in
                let id = try await WorldTests.createWorld(server)
                let create = try await FakeDEPBinary.run(
                    [
                        "api-account", "create", "CLI account", "--service", "school", "--key-file", "abm.pem",
                        "--world", id,
                    ],
                    server: server, in: directory)
                #expect(create.status == 0, "\(create)")
                #expect(create.standardOutput.contains("client id SCHOOLAPI."))
                let pem = try String(contentsOf: directory.appendingPathComponent("abm.pem"), encoding: .utf8)
                #expect(pem.hasPrefix("-----BEGIN EC PRIVATE KEY-----"))
                let key = try ECPrivateKey(pem: pem)
                let attributes = try FileManager.default.attributesOfItem(
                    atPath: directory.appendingPathComponent("abm.pem").path)
                #expect((attributes[.posixPermissions] as? Int) == 0o600)

                let accounts = try await server.inWorld(id).portalValue(
                    [APIAccountSummary].self, "GET", "/api-accounts")
                let account = try #require(accounts.first)
                #expect(account.service == .school && account.name == "CLI account")
                // The key written is the account's: the portal kept its public half.
                let world = server.inWorld(id)
                let assertion = try await world.clientAssertion(
                    clientID: account.clientID, keyID: account.keyID, key: key)
                let token = try await world.requestAccessToken(
                    TokenRequest(clientID: account.clientID, clientAssertion: assertion, scope: "school.api"))
                #expect(token.status == 200, "\(token.text)")

                let list = try await FakeDEPBinary.run(
                    ["api-account", "list", "--world", id], server: server, in: directory)
                #expect(list.status == 0 && list.standardOutput.contains("\(account.clientID)  key \(account.keyID)"))
                #expect(list.standardOutput.contains("active  CLI account"))

                let revoke = try await FakeDEPBinary.run(
                    ["api-account", "revoke", account.clientID, "--world", id], server: server, in: directory)
                #expect(revoke.status == 0 && revoke.standardOutput == "Revoked \(account.clientID).\n")
                let listed = try await FakeDEPBinary.run(
                    ["api-account", "list", "--world", id], server: server, in: directory)
                #expect(listed.standardOutput.contains("revoked "))

                let unknown = try await FakeDEPBinary.run(
                    ["api-account", "revoke", "SCHOOLAPI.none", "--world", id], server: server, in: directory)
                #expect(unknown.status != 0 && unknown.standardError.contains("No API account has the client id"))
                let badService = try await FakeDEPBinary.run(
                    ["api-account", "create", "x", "--service", "home"], server: server, in: directory)
                #expect(badService.status != 0 && badService.standardError.contains("business or school"))
            }
        }
    }
}
