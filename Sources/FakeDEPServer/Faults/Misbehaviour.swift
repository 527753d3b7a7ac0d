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
public enum Misbehaviour: String, CaseIterable, Sendable, Hashable {
    case echoedCursor = "echoed_cursor"
    case sessionRotation = "session_rotation"
    case moveAsModified = "move_as_modified"

    /// The operations it can happen on; `nil` for every DEP call made with a session.
    var operations: Set<String>? {
        switch self {
        case .echoedCursor: ["fetch_devices", "sync_devices"]
        case .sessionRotation: nil
        case .moveAsModified: ["sync_devices"]
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
            let body = try await request.body.collect(upTo: DEPCall.maximumBodySize)
            let sent = (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])?["cursor"]
            var forwarded = request
            forwarded.body = RequestBody(buffer: body)
            return try await Self.rewritingPage(try await next(forwarded)) { page in
                page["more_to_follow"] = true
                if let sent = sent as? String {
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
        case .moveAsModified:
            return try await Self.rewritingPage(try await next(request)) { page in
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

    /// A successful JSON page with `change` applied; any other answer as it was.
    private static func rewritingPage(_ response: Response, _ change: (inout [String: Any]) -> Void) async throws
        -> Response
    {
        guard response.status == .ok else { return response }
        let bytes = try await ResponseBytes.collect(response.body)
        guard var page = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return Response(
                status: response.status, headers: response.headers, body: .init(byteBuffer: .init(bytes: bytes)))
        }
        change(&page)
        let rewritten = try JSONSerialization.data(
            withJSONObject: page, options: [.sortedKeys, .withoutEscapingSlashes])
        var headers = response.headers
        headers[.contentLength] = nil
        return Response(
            status: response.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: rewritten)))
    }
}
