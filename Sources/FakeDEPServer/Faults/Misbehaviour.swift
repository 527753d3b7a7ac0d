import DEPWire
import Foundation
import Hummingbird

/// Apple's known misbehaviours, reproduced by name (peers §7), on an otherwise usual answer:
///
/// - `echoed_cursor` (fetch, sync): the request's own cursor comes back with
///   `more_to_follow: true` and no devices (micromdm #1016, nanodep #73); without a cursor in the
///   request, the page as usual but saying more is to follow. A client that follows blindly loops.
/// - `session_rotation` (any call with a session): the answer carries a new
///   `X-ADM-Auth-Session`, and the old session ends.
/// - `move_as_modified` (sync): a device moved away is reported as `modified` with
///   `profile_status: removed` instead of `deleted`.
/// - `repeated_serial` (fetch, sync): the last device of this page comes again first on the next.
/// - `hidden_throttled` (assign profile): every device named is `THROTTLED` (with
///   `retry_after_seconds` of a day from v10) and left off the world's fetch and sync pages for
///   24 hours of world time, with no `deleted` (fleet #45590).
public enum Misbehaviour: String, CaseIterable, Sendable, Hashable {
    case echoedCursor = "echoed_cursor"
    case sessionRotation = "session_rotation"
    case moveAsModified = "move_as_modified"
    case repeatedSerial = "repeated_serial"
    case hiddenThrottled = "hidden_throttled"

    /// How long `hidden_throttled` hides a device.
    static let hidingTime: TimeInterval = 86_400

    /// The operations it can happen on; `nil` for every DEP call made with a session.
    var operations: Set<String>? {
        switch self {
        case .echoedCursor, .repeatedSerial: ["fetch_devices", "sync_devices"]
        case .sessionRotation: nil
        case .moveAsModified: ["sync_devices"]
        case .hiddenThrottled: ["assign_profile"]
        }
    }

    /// Whether it can happen on `operation`.
    func applies(to operation: String) -> Bool {
        if let operations { return operations.contains(operation) }
        return !operation.hasPrefix("portal_") && !operation.hasPrefix("device_") && operation != "session"
            && operation != "unknown"
    }

    /// The answer `next` gives, misbehaving.
    func perform(
        _ request: Request, world: World, next: (Request) async throws -> Response
    ) async throws -> Response {
        switch self {
        case .echoedCursor:
            let (forwarded, sent) = try await PageRewrite.cursor(of: request)
            return try await PageRewrite.apply(to: try await next(forwarded)) { page in
                page["more_to_follow"] = true
                if let sent {
                    page["cursor"] = sent
                    page["devices"] = [Any]()
                }
            }
        case .sessionRotation:
            let response = try await next(request)
            guard let token = request.headers[DEPCall.sessionHeader], let fresh = world.rotateSession(token) else {
                return response
            }
            var rotated = response
            rotated.headers[DEPCall.sessionHeader] = fresh
            return rotated
        case .repeatedSerial:
            return try await PageRewrite.apply(to: try await next(request)) { page in
                guard let last = (page["devices"] as? [[String: Any]])?.last, let cursor = page["cursor"] as? String
                else { return }
                world.faults.lingering.carry(try JSONSerialization.data(withJSONObject: last), toPageAfter: cursor)
            }
        case .hiddenThrottled:
            let body = try await request.body.collect(upTo: DEPCall.maximumBodySize)
            let serials = (try? DEPJSON.decode(ProfileServiceRequest.self, from: Data(buffer: body)))?.devices ?? []
            var forwarded = request
            forwarded.body = RequestBody(buffer: body)
            let fault = DeviceFault(serial: nil, result: .throttled, retryAfterSeconds: Int(Self.hidingTime))
            let response = try await DeviceFault.$current.withValue(fault) { try await next(forwarded) }
            if response.status == .ok {
                world.faults.lingering.hide(serials, until: world.clock.now.addingTimeInterval(Self.hidingTime))
            }
            return response
        case .moveAsModified:
            return try await PageRewrite.apply(to: try await next(request)) { page in
                guard let devices = page["devices"] as? [[String: Any]] else { return }
                page["devices"] = devices.map { device in
                    guard device["op_type"] as? String == "deleted" else { return device }
                    var modified = device
                    modified["op_type"] = "modified"
                    modified["profile_status"] = "removed"
                    return modified
                }
            }
        }
    }
}
