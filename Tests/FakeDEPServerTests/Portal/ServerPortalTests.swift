import DEPCrypto
import DEPSync
import DEPTestServer
import DEPTestSupport
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// The portal's MDM servers over HTTP: create, list, show, delete, keys and tokens (dep-api §1, §8).
struct ServerPortalTests {
    // MARK: Create, list, show

    @Test func creatingAServerAnswersItsSummary() async throws {
        try await TestServer.with { server in
            let response = try await server.portal("POST", "/servers", json: #"{"name":"  Alpha MDM  "}"#)
            #expect(response.status == 201)
            #expect(response.header("Content-Type") == "application/json")
            let summary = try DEPJSON.decode(MDMServerSummary.self, from: response.body)
            #expect(summary.name == "Alpha MDM")
            #expect(summary.uuid.wholeMatch(of: /[0-9A-F]{32}/) != nil)
            #expect(!summary.hasCertificate)
            #expect(summary.certificateSubject == nil)
            #expect(!summary.mayDisown)
            #expect(summary.tokenIssued == nil && summary.tokenExpiry == nil)
            #expect(summary.deviceCount == 0)
            #expect(summary.created == TestServer.start)
        }
    }

    @Test(arguments: [
        "{}", #"{"name":""}"#, #"{"name":"   "}"#, #"{"name":"two\nlines"}"#,
        #"{"name":"\#(String(repeating: "x", count: 101))"}"#, #"{"name":42}"#, "not json",
    ])
    func aServerNeedsANameOfOneLine(body: String) async throws {
        try await TestServer.with { server in
            let problem = try await server.portalProblem("POST", "/servers", json: body)
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_REQUEST")
            #expect(try await server.portalValue([MDMServerSummary].self, "GET", "/servers").isEmpty)
        }
    }

    @Test(arguments: ["Alpha MDM", "alpha mdm", " ALPHA MDM "])
    func aNameInUseIsRefused(name: String) async throws {
        try await TestServer.with { server in
            let first = try await server.createPortalServer("Alpha MDM")
            let problem = try await server.portalProblem(
                "POST", "/servers", json: #"{"name":\#(try DEPJSON.encodeString(name))}"#)
            #expect(problem.status == 409)
            #expect(problem.error == "NAME_TAKEN")
            #expect(problem.message.contains("exists already"))
            #expect(try await server.portalValue([MDMServerSummary].self, "GET", "/servers") == [first])
        }
    }

    @Test func theListShowsEveryServerOldestFirst() async throws {
        try await TestServer.with { server in
            #expect(try await server.portal("GET", "/servers").text == "[]")
            for name in ["Charlie", "Alpha", "Bravo"] {
                try await server.createPortalServer(name)
                server.clock.advance(by: 60)
            }
            try await server.assign(Array(try await server.portalSerials().prefix(3)), to: "Alpha")
            let servers = try await server.portalValue([MDMServerSummary].self, "GET", "/servers")
            #expect(servers.map(\.name) == ["Charlie", "Alpha", "Bravo"])
            #expect(servers.map(\.deviceCount) == [0, 3, 0])
            #expect(servers.map(\.created) == [0, 60, 120].map { TestServer.start.addingTimeInterval($0) })
            #expect(Set(servers.map(\.uuid)).count == 3)
        }
    }

    @Test(arguments: ["My Test MDM", "Café MDM", "Lab/Floor 2", "50% MDM", "Q&A?"])
    func aServerIsFoundByItsEscapedName(name: String) async throws {
        try await TestServer.with { server in
            let created = try await server.createPortalServer(name)
            let shown = try await server.portalValue(
                MDMServerSummary.self, "GET", "/servers/\(PortalPath.escape(name))")
            #expect(shown == created)
        }
    }

    @Test func aServerIsFoundByItsUUIDInEitherCase() async throws {
        try await TestServer.with { server in
            let created = try await server.createPortalServer("By UUID")
            for reference in [created.uuid, created.uuid.lowercased()] {
                #expect(try await server.portalValue(MDMServerSummary.self, "GET", "/servers/\(reference)") == created)
            }
        }
    }

    @Test func anUnknownServerIsNotFound() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Known")
            for (method, path) in [
                ("GET", "/servers/Unknown"), ("DELETE", "/servers/Unknown"), ("GET", "/servers/Unknown/token"),
                ("GET", "/servers/0123456789ABCDEF0123456789ABCDEF"),
            ] {
                let problem = try await server.portalProblem(method, path)
                #expect(problem.status == 404, "\(method) \(path)")
                #expect(problem.error == "NOT_FOUND", "\(method) \(path)")
            }
        }
    }

    // MARK: Delete

    @Test func deletingAServerUnassignsItsDevicesAndEndsItsSessions() async throws {
        try await TestServer.with { server in
            let enrolled = try await EnrolledServer.make(server, name: "Doomed MDM")
            try await server.createPortalServer("Other MDM")
            let serials = try await server.portalSerials()
            try await server.assign(Array(serials[0..<5]), to: "Doomed MDM")
            try await server.assign(Array(serials[5..<7]), to: "Other MDM")
            let session = try await DEPSession(server, enrolled)
            let profile = try await session.decode(
                DefineProfileResponse.self, "POST", "/profile",
                json: #"{"profile_name":"Doomed","url":"https://mdm.example.com/enroll","devices":["\#(serials[0])"]}"#)
            let fetched = try await session.decode(FetchDeviceResponse.self, "POST", "/server/devices", json: "{}")
            #expect(fetched.devices?.count == 5)
            #expect(try await server.portalDevices().first?.profileUUID == profile.profileUUID)

            let response = try await server.portal("DELETE", "/servers/Doomed%20MDM")
            #expect(response.status == 204)
            #expect(response.body.isEmpty)

            #expect(try await server.portalProblem("GET", "/servers/Doomed%20MDM").status == 404)
            #expect(
                try await server.portalValue([MDMServerSummary].self, "GET", "/servers").map(\.name) == ["Other MDM"])
            let devices = try await server.portalDevices()
            for device in devices[0..<5] {
                #expect(device.status == "unassigned")
                #expect(device.server == nil)
                #expect(device.profileStatus == .empty)
                #expect(device.profileUUID == nil)
            }
            #expect(devices[5..<7].allSatisfy { $0.server == "Other MDM" })
            #expect(try await server.portalSerials("status=assigned") == Array(serials[5..<7]))
            // The deleted server's MDM is shut out: its session and its token are gone.
            let sync = try await session.call("POST", "/devices/sync", json: #"{"cursor":"\#(fetched.cursor)"}"#)
            #expect(sync.status == 401)
            let reopen = try await server.send(
                "GET", "/session", headers: [("Authorization", try enrolled.authorization(server))])
            #expect(reopen.status == 401)
        }
    }

    @Test func aServerCreatedAfterADeletionDoesNotInheritItsCursor() async throws {
        try await TestServer.with { server in
            let first = try await EnrolledServer.make(server, name: "First")
            try await server.assign(Array(try await server.portalSerials().prefix(2)), to: "First")
            let cursor = try await DEPSession(server, first).decode(
                FetchDeviceResponse.self, "POST", "/server/devices", json: "{}"
            ).cursor
            #expect(try await server.portal("DELETE", "/servers/First").status == 204)

            let second = try await EnrolledServer.make(server, name: "Second")
            let sync = try await DEPSession(server, second).call(
                "POST", "/devices/sync", json: #"{"cursor":"\#(cursor)"}"#)
            #expect(sync.status == 400)
            #expect(sync.text == "INVALID_CURSOR")
        }
    }

    // MARK: Keys

    @Test(arguments: [CertificateForm.pem, .der])
    func aCertificateIsAcceptedAsPEMOrDER(form: CertificateForm) async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Keyed")
            let certificate = try Certificate.selfSigned(
                key: try PrivateKey.generateRSA(), commonName: "keyed-mdm", days: 1)
            let bytes = form == .pem ? Data(try certificate.pem.utf8) : try certificate.der
            let response = try await server.portal(
                "PUT", "/servers/Keyed/certificate", body: bytes, contentType: "application/octet-stream")
            #expect(response.status == 200)
            let summary = try DEPJSON.decode(MDMServerSummary.self, from: response.body)
            #expect(summary.hasCertificate)
            #expect(summary.certificateSubject == "keyed-mdm")
            #expect(try await server.portalValue(MDMServerSummary.self, "GET", "/servers/Keyed") == summary)
        }
    }

    @Test func aCertificateCanComeWithTheNewServer() async throws {
        try await TestServer.with { server in
            let certificate = try Certificate.selfSigned(
                key: try PrivateKey.generateRSA(), commonName: "born-keyed", days: 1)
            let body = #"{"name":"Born Keyed","certificate":\#(try DEPJSON.encodeString(certificate.pem))}"#
            let summary = try await server.portalValue(MDMServerSummary.self, "POST", "/servers", json: body)
            #expect(summary.hasCertificate)
            #expect(summary.certificateSubject == "born-keyed")
        }
    }

    @Test func anECCertificateIsRefused() async throws {
        try await ScratchDirectory.with { directory in
            try await ChildProcess.openssl(
                [
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                    "ec.key", "-out", "ec.pem", "-days", "1", "-subj", "/CN=ec-mdm",
                ], in: directory)
            let pem = try Data(contentsOf: directory.appendingPathComponent("ec.pem"))
            try await TestServer.with { server in
                try await server.createPortalServer("Elliptic")
                let response = try await server.portal(
                    "PUT", "/servers/Elliptic/certificate", body: pem, contentType: "application/x-pem-file")
                let problem = try PortalProblem(response)
                #expect(problem.status == 400)
                #expect(problem.error == "INVALID_CERTIFICATE")
                #expect(problem.message.contains("RSA"))
                #expect(try await !server.portalValue(MDMServerSummary.self, "GET", "/servers/Elliptic").hasCertificate)
            }
        }
    }

    @Test(arguments: [NotACertificate.garbage, .empty, .privateKeyPKCS1, .privateKeyPKCS8, .truncatedPEM])
    func somethingElseIsRefusedAndTheKeptCertificateStays(upload: NotACertificate) async throws {
        try await TestServer.with { server in
            let key = try PrivateKey.generateRSA()
            let certificate = try Certificate.selfSigned(key: key, commonName: "kept", days: 1)
            try await server.createPortalServer("Careful")
            _ = try await server.portal(
                "PUT", "/servers/Careful/certificate", body: Data(try certificate.pem.utf8),
                contentType: "application/x-pem-file")

            let response = try await server.portal(
                "PUT", "/servers/Careful/certificate", body: try upload.bytes(key: key, certificate: certificate),
                contentType: "application/octet-stream")
            let problem = try PortalProblem(response)
            #expect(problem.status == 400)
            #expect(problem.error == "INVALID_CERTIFICATE")
            #expect(
                try await server.portalValue(MDMServerSummary.self, "GET", "/servers/Careful").certificateSubject
                    == "kept")
        }
    }

    // MARK: Tokens

    @Test func aTokenNeedsACertificate() async throws {
        try await TestServer.with { server in
            try await server.createPortalServer("Keyless")
            let problem = try await server.portalProblem("GET", "/servers/Keyless/token")
            #expect(problem.status == 400)
            #expect(problem.error == "NO_CERTIFICATE")
            #expect(try await server.portalValue(MDMServerSummary.self, "GET", "/servers/Keyless").tokenIssued == nil)
        }
    }

    @Test func theTokenIsAnSMIMEFileNamedForTheServerAndTheClock() async throws {
        try await TestServer.with { server in
            server.clock.advance(by: 3723.75)  // 2026-05-28T21:28:43.75Z
            let key = try PrivateKey.generateRSA()
            let certificate = try Certificate.selfSigned(key: key, commonName: "deptokens", days: 1)
            try await server.createPortalServer("Token Test MDM")
            _ = try await server.portal(
                "PUT", "/servers/Token%20Test%20MDM/certificate", body: try certificate.der,
                contentType: "application/pkix-cert")

            let response = try await server.portal("GET", "/servers/Token%20Test%20MDM/token")
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("application/pkcs7-mime") == true)
            #expect(
                response.header("Content-Disposition")
                    == #"attachment; filename="Token Test MDM_Token_2026-05-28T21-28-43Z_smime.p7m"; "#
                    + "filename*=UTF-8''Token%20Test%20MDM_Token_2026-05-28T21-28-43Z_smime.p7m")

            let lines = response.text.components(separatedBy: "\r\n")
            #expect(
                Array(lines.prefix(5)) == [
                    #"Content-Type: application/pkcs7-mime; name="smime.p7m"; smime-type=enveloped-data"#,
                    "Content-Transfer-Encoding: base64",
                    #"Content-Disposition: attachment; filename="smime.p7m""#,
                    "Content-Description: S/MIME Encrypted Message",
                    "",
                ])
            #expect(lines.last == "")
            let body = Array(lines.dropFirst(5).dropLast())
            #expect(body.count > 2)
            #expect(body.dropLast().allSatisfy { $0.utf8.count == 76 })
            #expect((1...76).contains(body.last?.utf8.count ?? 0))
            #expect(body.allSatisfy { $0.wholeMatch(of: /[A-Za-z0-9+\/=]+/) != nil })
            #expect(body.first?.hasPrefix("MI") == true)  // a DER or BER SEQUENCE

            let cms = try #require(Data(base64Encoded: body.joined()))
            let tokens = try TokenMessage.parse(
                Array(try EnvelopedData.decrypt(cms, key: key, certificate: certificate)))
            #expect(tokens.consumerKey.hasPrefix("CK_"))
            #expect(tokens.consumerSecret.hasPrefix("CS_"))
            #expect(tokens.accessToken.hasPrefix("AT_O"))
            #expect(tokens.accessSecret.hasPrefix("AS_"))
            #expect(tokens.accessTokenExpiry == DEPDate.parse("2027-05-28T21:28:43Z"))

            let summary = try await server.portalValue(MDMServerSummary.self, "GET", "/servers/Token%20Test%20MDM")
            #expect(summary.tokenIssued == DEPDate.parse("2026-05-28T21:28:43Z"))
            #expect(summary.tokenExpiry == tokens.accessTokenExpiry)

            let enrolled = EnrolledServer(name: summary.name, uuid: summary.uuid, tokens: tokens)
            let session = try await enrolled.openSession(server)
            let account = try await server.send(
                "GET", "/account", headers: [(DEPHeader.authSession, session), (DEPHeader.protocolVersion, "10")])
            #expect(account.status == 200)
            #expect(account.text.contains(summary.uuid))
        }
    }

    @Test func theTokenOpensWithTheOpenSSLCommand() async throws {
        try await ScratchDirectory.with { directory in
            let key = try PrivateKey.generateRSA()
            let certificate = try Certificate.selfSigned(key: key, commonName: "deptokens", days: 1)
            try (try key.pkcs1PEM).write(
                to: directory.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
            try (try certificate.pem).write(
                to: directory.appendingPathComponent("cert.pem"), atomically: true, encoding: .utf8)
            let token = try await TestServer.with { server in
                let body = #"{"name":"OpenSSL MDM","certificate":\#(try DEPJSON.encodeString(certificate.pem))}"#
                _ = try await server.portalValue(MDMServerSummary.self, "POST", "/servers", json: body)
                return try await server.portal("GET", "/servers/OpenSSL%20MDM/token").body
            }
            try token.write(to: directory.appendingPathComponent("token.p7m"))

            let decrypted = try await ChildProcess.openssl(
                ["smime", "-decrypt", "-in", "token.p7m", "-inkey", "key.pem", "-recip", "cert.pem"], in: directory)
            let fromOpenSSL = try TokenMessage.parse(decrypted.standardOutput)
            let fromDEPCrypto = try TokenMessage.parse(
                Array(
                    try EnvelopedData.decrypt(
                        Data(try SMIMEEnvelope.unwrap(Array(token))), key: key, certificate: certificate)))
            #expect(fromOpenSSL == fromDEPCrypto)
            #expect(decrypted.standardOutput.contains("-----BEGIN MESSAGE-----"))
        }
    }
}

/// How a certificate is uploaded.
enum CertificateForm: String, Sendable, CustomTestStringConvertible {
    case pem, der
    var testDescription: String { rawValue.uppercased() }
}

/// Uploads that are not a certificate.
enum NotACertificate: String, Sendable, CustomTestStringConvertible {
    case garbage, empty, privateKeyPKCS1, privateKeyPKCS8, truncatedPEM

    var testDescription: String { rawValue }

    /// The upload, made from a real key pair where it needs one.
    func bytes(key: PrivateKey, certificate: Certificate) throws -> Data {
        switch self {
        case .garbage: Data("this is not a certificate \u{1}\u{2}\u{3}".utf8)
        case .empty: Data()
        case .privateKeyPKCS1: Data(try key.pkcs1PEM.utf8)
        case .privateKeyPKCS8: Data(try key.pkcs8PEM.utf8)
        case .truncatedPEM: Data(try certificate.pem.utf8.prefix(200))
        }
    }
}
