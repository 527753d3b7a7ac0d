import DEPCrypto
import DEPSync
import DEPTestServer
import DEPWire
import FakeDEPServer
import Foundation
import Testing

/// An MDM server linked to the test world, with devices assigned to it and a session open.
struct LinkedServer: Sendable {
    let enrolled: EnrolledServer
    let session: DEPSession
    /// The devices assigned to it, in the order they were assigned.
    let serials: [String]

    var name: String { enrolled.name }
}

extension TestServer {
    /// Creates a server, assigns it `devices` free devices (of `family`, when given) in one
    /// portal action and opens a session speaking protocol `version`.
    func linkServer(
        _ name: String = "Test MDM", devices: Int = 0, family: String? = nil, version: Int = 10,
        mayDisown: Bool = false
    ) async throws -> LinkedServer {
        let enrolled = try await enroll(name, mayDisown: mayDisown)
        let serials = try await freeSerials(devices, family: family)
        if !serials.isEmpty { _ = try await world.assign(serials: serials, to: name) }
        return LinkedServer(
            enrolled: enrolled, session: try await DEPSession(self, enrolled, version: version), serials: serials)
    }

    /// Creates a server with the shared test key pair and opens its token, as an MDM's import does.
    func enroll(_ name: String = "Test MDM", mayDisown: Bool = false) async throws -> EnrolledServer {
        let pair = TestKeyPair.shared
        let summary = try await world.createServer(
            name: name, certificate: try pair.certificate.der, mayDisown: mayDisown)
        let tokens = try await EnrolledServer.downloadTokens(
            self, name: name, key: pair.key, certificate: pair.certificate)
        return EnrolledServer(name: name, uuid: summary.uuid, tokens: tokens)
    }

    /// A device on no server that `matches`; seeds more devices when none does.
    func freeSerial(where matches: (PortalDevice) -> Bool) async throws -> String {
        for attempt in 0..<10 {
            var after: String?
            repeat {
                let page = try await world.listDevices(DeviceFilter(status: "unassigned"), limit: 1000, after: after)
                if let device = page.devices.first(where: matches) { return device.serialNumber }
                after = page.next
            } while after != nil
            _ = try await world.seed(deviceCount: 200, seed: 43 + UInt64(attempt))
        }
        throw DEPCallFailure(description: "no free device matches")
    }

    /// The portal's record of `serial`.
    func inventoryRecord(_ serial: String) async throws -> PortalDevice {
        var after: String?
        repeat {
            let page = try await world.listDevices(DeviceFilter(), limit: 1000, after: after)
            if let device = page.devices.first(where: { $0.serialNumber == serial }) { return device }
            after = page.next
        } while after != nil
        throw DEPCallFailure(description: "the portal does not list \(serial)")
    }

    /// A serial no device of the organisation has.
    static let unknownSerial = "ZZZZNOTMINE1"
}

extension DEPSession {
    /// `POST /server/devices`.
    func fetch(cursor: String? = nil, limit: Int? = nil) async throws -> HTTPResponse {
        try await call(
            "POST", "/server/devices", json: try DEPJSON.encodeString(FetchDeviceRequest(cursor: cursor, limit: limit)))
    }

    /// `POST /devices/sync`.
    func sync(cursor: String?, limit: Int? = nil) async throws -> HTTPResponse {
        try await call(
            "POST", "/devices/sync", json: try DEPJSON.encodeString(SyncDeviceRequest(cursor: cursor, limit: limit)))
    }

    /// A fetch page that must succeed.
    func fetchPage(cursor: String? = nil, limit: Int? = nil) async throws -> FetchDeviceResponse {
        try Self.decode(FetchDeviceResponse.self, try await fetch(cursor: cursor, limit: limit))
    }

    /// A sync page that must succeed.
    func syncPage(cursor: String, limit: Int? = nil) async throws -> FetchDeviceResponse {
        try Self.decode(FetchDeviceResponse.self, try await sync(cursor: cursor, limit: limit))
    }

    /// Fetches every page from the start; returns the pages and the final cursor.
    func fetchAll(limit: Int? = nil) async throws -> (pages: [FetchDeviceResponse], cursor: String) {
        var pages = [try await fetchPage(limit: limit)]
        while pages.last!.moreToFollow {
            pages.append(try await fetchPage(cursor: pages.last!.cursor, limit: limit))
        }
        return (pages, pages.last!.cursor)
    }

    /// The cursor a client holds once it has fetched everything.
    func exhaustedCursor() async throws -> String {
        try await fetchAll(limit: 1000).cursor
    }

    /// `POST /devices` that must succeed.
    func details(_ serials: [String]) async throws -> DeviceListResponse {
        try await decode(
            DeviceListResponse.self, "POST", "/devices",
            json: try DEPJSON.encodeString(DeviceListRequest(devices: serials)))
    }

    /// One device's record from `POST /devices`.
    func device(_ serial: String) async throws -> Device {
        guard let device = try await details([serial]).devices[serial]?.device else {
            throw DEPCallFailure(description: "\(serial) is not accessible")
        }
        return device
    }

    /// `POST /profile` with `json` that must succeed.
    func defineProfile(_ json: String) async throws -> DefineProfileResponse {
        try await decode(DefineProfileResponse.self, "POST", "/profile", json: json)
    }

    /// A JSON object answer as a dictionary, to look at which keys it has.
    static func object(_ response: HTTPResponse) throws -> [String: Any] {
        guard response.status == 200,
            let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        else { throw DEPCallFailure(description: "not a JSON object: \(response.status) \(response.text)") }
        return object
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse) throws -> T {
        guard response.status == 200 else { throw DEPError(status: response.status, body: response.text) }
        return try DEPJSON.decode(type, from: response.body)
    }
}

/// One RSA key pair for every server these tests create: making a key takes a tenth of a second
/// or more, and the portal only encrypts tokens to it.
struct TestKeyPair: Sendable {
    let key: PrivateKey
    let certificate: Certificate

    static let shared: TestKeyPair = {
        let key = try! PrivateKey.generateRSA()
        return TestKeyPair(
            key: key, certificate: try! Certificate.selfSigned(key: key, commonName: "deptokens", days: 1))
    }()
}

/// What a refused DEP call answered: its status and its plain-text body.
struct PlainAnswer: Equatable, CustomStringConvertible {
    var status: Int
    var body: String

    init(_ status: Int, _ body: String) {
        self.status = status
        self.body = body
    }

    var description: String { "\(status) \"\(body)\"" }
}

extension HTTPResponse {
    /// The status and body, for comparing a refusal with Apple's.
    var answer: PlainAnswer { PlainAnswer(status, text) }
}

/// A helper could not set up what a test needs.
struct DEPCallFailure: Error, CustomStringConvertible {
    let description: String
}
