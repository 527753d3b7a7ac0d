import DEPCrypto
public import DEPWire
public import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import Logging
import ServiceLifecycle
import Synchronization

/// An MDM's enrollment endpoint on a free loopback port, over TLS with a certificate of its
/// own, for the simulated device to enroll with. It checks the device's signature, keeps what
/// each device sent, and answers as the test tells it to.
public final class TestMDM: Sendable {
    /// What the MDM answers an enrollment request.
    public enum Answer: Sendable {
        /// 200 with an enrollment profile, CMS-signed by the MDM's identity when `signed`; a
        /// profile `withoutMDM` has only a SCEP payload.
        case profile(signed: Bool, withoutMDM: Bool = false)
        /// A refusal: `status` with a plain-text body.
        case refusal(status: Int, body: String)
        /// 403 asking the device to update first.
        case softwareUpdate(version: String, build: String)
        /// 200 with an HTML page (a sign-in page for the web flow).
        case page
    }

    /// One enrollment request, after the MDM checked its signature.
    public struct Request: Sendable {
        public var method: String
        public var contentType: String?
        public var machineInfo: MachineInfo
        /// The common name of the certificate that signed the MachineInfo.
        public var signer: String?
    }

    /// `https://127.0.0.1:PORT/mdm/enroll`, where devices POST their MachineInfo.
    public let enrollURL: String
    /// `https://127.0.0.1:PORT/mdm/web`, the page of the web flow.
    public let webURL: String
    /// The MDM's TLS certificate (DER), self-signed: what a profile's `anchor_certs` names.
    public let certificate: Data
    private let received: Inbox
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// The enrollment requests received so far, oldest first.
    public var requests: [Request] { received.requests.withLock { $0 } }

    /// Where the responder leaves each request.
    private final class Inbox: Sendable {
        let requests = Mutex<[Request]>([])
    }

    private init(port: Int, certificate: Data, received: Inbox, group: ServiceGroup, task: Task<Void, any Error>) {
        enrollURL = "https://127.0.0.1:\(port)/mdm/enroll"
        webURL = "https://127.0.0.1:\(port)/mdm/web"
        self.certificate = certificate
        self.received = received
        self.group = group
        self.task = task
    }

    /// Runs `body` against a running MDM that gives every request `answer`.
    public static func with<T: Sendable>(answer: Answer = .profile(signed: true), _ body: (TestMDM) async throws -> T)
        async throws -> T
    {
        let mdm = try await start(answer: answer)
        do {
            let result = try await body(mdm)
            await mdm.stop()
            return result
        } catch {
            await mdm.stop()
            throw error
        }
    }

    /// One TLS identity for every test MDM of the run: RSA key generation is slow, and tests
    /// run in parallel on few cores.
    private static let identity = Result { () throws(CryptoError) -> (PrivateKey, Certificate) in
        let key = try PrivateKey.generateRSA()
        let certificate = try Certificate.selfSigned(
            key: key, commonName: "Test MDM", days: 30, subjectAlternativeNames: ["IP:127.0.0.1", "DNS:localhost"])
        return (key, certificate)
    }

    private static func start(answer: Answer) async throws -> TestMDM {
        let (key, certificate) = try identity.get()
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(certificate.der), format: .der))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(key.pkcs8PEM.utf8), format: .pem)))
        let received = Inbox()
        let responder = Responder(answer: answer, key: key, certificate: certificate) { request in
            received.requests.withLock { $0.append(request) }
        }
        let router = Router()
        router.post("/mdm/enroll") { request, _ in
            try await responder.enroll(
                signed: try await request.body.collect(upTo: 1 << 20), method: "POST",
                contentType: request.headers[.contentType])
        }
        router.get("/mdm/web") { request, _ in
            guard let header = request.headers[HTTPField.Name("x-apple-aspen-deviceinfo")!],
                let signed = Data(base64Encoded: header)
            else { return Response(status: .badRequest) }
            return try await responder.enroll(signed: ByteBuffer(bytes: signed), method: "GET", contentType: nil)
        }
        var logger = Logger(label: "test-mdm")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            task.cancel()
            throw CancellationError()
        }
        return TestMDM(port: port, certificate: try certificate.der, received: received, group: group, task: task)
    }

    /// Stops the MDM gracefully and waits until it has.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// Checks a signed MachineInfo, records it and answers.
private struct Responder: Sendable {
    let answer: TestMDM.Answer
    let key: PrivateKey
    let certificate: Certificate
    let record: @Sendable (TestMDM.Request) -> Void

    func enroll(signed: ByteBuffer, method: String, contentType: String?) async throws -> Response {
        let opened: SignedContent
        do {
            opened = try SignedData.open(Data(signed.readableBytesView))
        } catch {
            return Self.text(.badRequest, "the MachineInfo is not validly signed: \(error)")
        }
        guard let info = try? MachineInfo(propertyList: opened.content) else {
            return Self.text(.badRequest, "the signed content is not a MachineInfo property list")
        }
        record(
            TestMDM.Request(
                method: method, contentType: contentType, machineInfo: info,
                signer: opened.signers.first?.subjectCommonName))
        switch answer {
        case .profile(let signed, let withoutMDM):
            var text = Self.profile(for: info)
            if withoutMDM { text = text.replacingOccurrences(of: "com.apple.mdm<", with: "com.apple.security.scep<") }
            let profile = Data(text.utf8)
            let body = signed ? try SignedData.sign(profile, certificate: certificate, key: key) : profile
            return Response(
                status: .ok, headers: [.contentType: EnrollmentProfile.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        case .refusal(let status, let body):
            return Self.text(.init(code: status), body)
        case .softwareUpdate(let version, let build):
            let json = """
                {"code":"com.apple.softwareupdate.required","details":{"OSVersion":"\(version)","BuildVersion":"\(build)"}}
                """
            return Response(
                status: .forbidden, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: json)))
        case .page:
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "<html><body>Sign in</body></html>")))
        }
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain"],
            body: .init(byteBuffer: ByteBuffer(string: body + "\n")))
    }

    /// A minimal enrollment profile: one MDM payload naming the device.
    static func profile(for info: MachineInfo) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
        <plist version="1.0">
        <dict>
        \t<key>PayloadContent</key>
        \t<array>
        \t\t<dict>
        \t\t\t<key>PayloadIdentifier</key>
        \t\t\t<string>com.example.mdm.\(info.serial)</string>
        \t\t\t<key>PayloadType</key>
        \t\t\t<string>com.apple.mdm</string>
        \t\t\t<key>ServerURL</key>
        \t\t\t<string>https://mdm.example.com/mdm/connect</string>
        \t\t\t<key>CheckInURL</key>
        \t\t\t<string>https://mdm.example.com/mdm/checkin</string>
        \t\t\t<key>Topic</key>
        \t\t\t<string>com.apple.mgmt.External.test</string>
        \t\t</dict>
        \t</array>
        \t<key>PayloadDisplayName</key>
        \t<string>Test MDM Enrollment</string>
        \t<key>PayloadIdentifier</key>
        \t<string>com.example.enroll</string>
        \t<key>PayloadType</key>
        \t<string>Configuration</string>
        \t<key>PayloadUUID</key>
        \t<string>\(UUID().uuidString)</string>
        \t<key>PayloadVersion</key>
        \t<integer>1</integer>
        </dict>
        </plist>
        """
    }
}
