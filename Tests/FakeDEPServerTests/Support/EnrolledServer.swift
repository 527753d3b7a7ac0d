import DEPCrypto
import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation

/// An MDM server made through the world, with its key pair and decrypted token: what an MDM
/// holds after importing its `.p7m`.
struct EnrolledServer: Sendable {
    let name: String
    let uuid: String
    let tokens: OAuthTokens

    /// Creates a server with a fresh key pair and downloads and decrypts its token.
    static func make(_ server: TestServer, name: String = "Test MDM", mayDisown: Bool = false) async throws
        -> EnrolledServer
    {
        let key = try PrivateKey.generateRSA()
        let certificate = try Certificate.selfSigned(key: key, commonName: "deptokens", days: 1)
        let summary = try await server.world.createServer(
            name: name, certificate: try certificate.der, mayDisown: mayDisown)
        let tokens = try await downloadTokens(server, name: name, key: key, certificate: certificate)
        return EnrolledServer(name: name, uuid: summary.uuid, tokens: tokens)
    }

    /// Creates a server with a fresh key pair through the portal `server` talks to (a world's,
    /// with `TestServer.inWorld`), and downloads and decrypts its token there.
    static func makeThroughPortal(_ server: TestServer, name: String = "Test MDM") async throws -> EnrolledServer {
        let key = try PrivateKey.generateRSA()
        let certificate = try Certificate.selfSigned(key: key, commonName: "deptokens", days: 1)
        let body = try JSONSerialization.data(withJSONObject: ["name": name, "certificate": try certificate.pem])
        let created = try await server.portal("POST", "/servers", body: body, contentType: "application/json")
        let summary = try DEPJSON.decode(MDMServerSummary.self, from: created.body)
        let token = try await server.portal(
            "GET", "/servers/\(summary.uuid)/token", body: nil, contentType: "application/json")
        let tokens = try TokenImport.open(token.body, with: TokenKeyPair(key: key, certificate: certificate))
        return EnrolledServer(name: name, uuid: summary.uuid, tokens: tokens)
    }

    /// Enrolls with the existing server `name` of the world `server` talks to (one a scenario
    /// made): uploads a fresh certificate through the portal and downloads and decrypts its token.
    static func enrolThroughPortal(_ server: TestServer, existing name: String) async throws -> EnrolledServer {
        let key = try PrivateKey.generateRSA()
        let certificate = try Certificate.selfSigned(key: key, commonName: "deptokens", days: 1)
        let path = "/servers/\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name)"
        let uploaded = try await server.portal(
            "PUT", path + "/certificate", body: Data(try certificate.pem.utf8), contentType: "application/x-pem-file")
        guard uploaded.status == 200 else { throw PortalCallFailure(response: uploaded, expected: "the certificate") }
        let summary = try DEPJSON.decode(MDMServerSummary.self, from: uploaded.body)
        let token = try await server.portal("GET", path + "/token", body: nil, contentType: "application/json")
        let tokens = try TokenImport.open(token.body, with: TokenKeyPair(key: key, certificate: certificate))
        return EnrolledServer(name: name, uuid: summary.uuid, tokens: tokens)
    }

    /// Downloads a new token and opens it with the agent's own import.
    static func downloadTokens(_ server: TestServer, name: String, key: PrivateKey, certificate: Certificate)
        async throws -> OAuthTokens
    {
        let token = try await server.world.downloadToken(name)
        return try TokenImport.open(Data(token.contents.utf8), with: TokenKeyPair(key: key, certificate: certificate))
    }

    /// A signed `Authorization` header for `GET /session` at the server's current time.
    func authorization(_ server: TestServer, nonce: String = UUID().uuidString, at date: Date? = nil) throws -> String {
        try tokens.sessionAuthorization(baseURL: server.baseURL, timestamp: date ?? server.clock.now, nonce: nonce)
    }

    /// Opens a session and returns its token.
    func openSession(_ server: TestServer) async throws -> String {
        let response = try await server.send("GET", "/session", headers: [("Authorization", try authorization(server))])
        guard response.status == 200 else { throw DEPError(status: response.status, body: response.text) }
        return try DEPJSON.decode(SessionResponse.self, from: response.body).authSessionToken
    }
}

/// A session on the DEP API: sends calls with `X-ADM-Auth-Session` and a protocol version.
struct DEPSession: Sendable {
    let server: TestServer
    let token: String
    var version = 10

    init(_ server: TestServer, _ enrolled: EnrolledServer, version: Int = 10) async throws {
        self.server = server
        self.token = try await enrolled.openSession(server)
        self.version = version
    }

    /// A session already open, by its token.
    init(_ server: TestServer, token: String) {
        self.server = server
        self.token = token
    }

    /// Sends a DEP call; the response is returned whatever its status.
    func call(_ method: String, _ path: String, json: String? = nil) async throws -> HTTPResponse {
        try await server.send(
            method, path, json: json,
            headers: [(DEPHeader.authSession, token), (DEPHeader.protocolVersion, String(version))])
    }

    /// Sends a DEP call that must succeed and decodes its answer.
    func decode<T: Decodable>(_ type: T.Type, _ method: String, _ path: String, json: String? = nil) async throws -> T {
        let response = try await call(method, path, json: json)
        guard response.status == 200 else { throw DEPError(status: response.status, body: response.text) }
        return try DEPJSON.decode(type, from: response.body)
    }
}
