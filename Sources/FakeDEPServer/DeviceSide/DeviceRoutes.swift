import DEPWire
import Foundation
import HTTPTypes
import Hummingbird

/// The device side (Apple's `iprofiles.apple.com`, dep-api §7) under `/device/boot/`: a simulated
/// device powering on and fetching its activation record.
///
/// `POST /device/boot/{serial}` (no body) answers:
/// - 200 with the cloud configuration (dep-api §7.2) when the device has a profile: JSON, or an
///   XML property list (`application/x-plist`) for `?format=plist` or `Accept: application/x-plist`.
///   Headers `X-FakeDEP-Profile-UUID`, `X-FakeDEP-Profile-Status: pushed` and
///   `X-FakeDEP-Profile-Push-Time` say what the fetch did to the device (§7.3);
///   `X-FakeDEP-Provisional-Until`, for a device added with Apple Configurator, when its
///   provisional period ends (peers §6).
/// - 200 with JSON `{"remote_management": false, "reason": …, "message": …}` (whatever the format)
///   when it gets no remote management: the device is not refused, it sets up as a personal one.
/// - 404 `{"error": "NOT_FOUND", "message": …}` for a serial the organisation does not own.
///
/// `GET /device/machine-info/{serial}` answers the device's MachineInfo (dep-api §7.4) as JSON
/// with Apple's keys: what the simulated device sends its MDM when it enrolls.
///
/// Apple's Absinthe-signed `POST /macProfile` exchange (§7.2) is not simulated.
struct DeviceRoutes {

    static let profileUUIDHeader = HTTPField.Name("X-FakeDEP-Profile-UUID")!
    static let profileStatusHeader = HTTPField.Name("X-FakeDEP-Profile-Status")!
    static let pushTimeHeader = HTTPField.Name("X-FakeDEP-Profile-Push-Time")!
    static let provisionalUntilHeader = HTTPField.Name("X-FakeDEP-Provisional-Until")!
    static let propertyListContentType = "application/x-plist"

    func add(to router: Router<FakeDEPContext>) {
        router.post("/device/boot/:serial") { request, context in
            let raw = try context.parameters.require("serial")
            let wantsPropertyList = try Self.wantsPropertyList(request)
            switch try await context.world.bootDevice(serial: raw.removingPercentEncoding ?? raw) {
            case .managed(let record): return try Self.response(record, propertyList: wantsPropertyList)
            case .unmanaged(let answer): return try PortalRoutes.json(UnmanagedAnswer(answer))
            }
        }
        router.get("/device/machine-info/:serial") { _, context in
            let raw = try context.parameters.require("serial")
            let info = try await context.world.machineInfo(serial: raw.removingPercentEncoding ?? raw)
            return try PortalRoutes.json(info)
        }
    }

    /// `?format=plist|json` wins; otherwise an `Accept` naming `application/x-plist` asks for one.
    static func wantsPropertyList(_ request: Request) throws -> Bool {
        switch request.uri.queryParameters.get("format") {
        case "plist": return true
        case "json": return false
        case nil:
            return request.headers[values: .accept].contains { $0.contains(propertyListContentType) }
        case let other?:
            throw PortalError(.invalidRequest, "format must be \"json\" or \"plist\", not \"\(other)\".")
        }
    }

    private static func response(_ record: ActivationRecord, propertyList: Bool) throws -> Response {
        let body = propertyList ? record.configuration.propertyListBytes : try DEPJSON.encodeBytes(record.configuration)
        var headers: HTTPFields = [
            .contentType: propertyList ? propertyListContentType : "application/json",
            profileUUIDHeader: record.profileUUID,
            profileStatusHeader: ProfileStatus.pushed.rawValue,
            pushTimeHeader: DEPDate.format(record.pushTime),
        ]
        if let until = record.provisionalUntil { headers[provisionalUntilHeader] = DEPDate.format(until) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// The answer for a device that gets no remote management.
private struct UnmanagedAnswer: Encodable {
    var remoteManagement = false
    var reason: String
    var message: String

    init(_ answer: NoRemoteManagement) {
        reason = answer.reason.rawValue
        message = answer.message
    }

    enum CodingKeys: String, CodingKey {
        case remoteManagement = "remote_management", reason, message
    }
}
