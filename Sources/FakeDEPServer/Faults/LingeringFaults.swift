import DEPWire
import Foundation
import Hummingbird
import Synchronization

/// What a misbehaviour leaves behind for later pages of fetch and sync: a device to repeat on the
/// page that follows (`repeated_serial`), and devices hidden from every page for a while
/// (`hidden_throttled`).
final class LingeringFaults: Sendable {
    private struct State {
        /// Device objects (JSON) to put first on the page asked for with this cursor.
        var carried: [String: Data] = [:]
        /// Serials left off every page until this world time.
        var hidden: [String: Date] = [:]
    }

    private let state = Mutex(State())

    /// Whether anything is left to apply at `now`.
    func isActive(at now: Date) -> Bool {
        state.withLock { state in !state.carried.isEmpty || state.hidden.values.contains { $0 > now } }
    }

    /// Repeats `device` (a JSON object) first on the page asked for with `cursor`.
    func carry(_ device: Data, toPageAfter cursor: String) {
        state.withLock { $0.carried[cursor] = device }
    }

    /// Leaves `serials` off every page until `until`.
    func hide(_ serials: [String], until: Date) {
        state.withLock { state in for serial in serials { state.hidden[serial] = until } }
    }

    /// `response`, a page asked for with `cursor`, with a carried device put first and hidden ones left off.
    func apply(to response: Response, cursor: String?, at now: Date) async throws -> Response {
        let (carried, hidden) = state.withLock { state -> (Data?, Set<String>) in
            state.hidden = state.hidden.filter { $0.value > now }
            return (cursor.flatMap { state.carried.removeValue(forKey: $0) }, Set(state.hidden.keys))
        }
        guard carried != nil || !hidden.isEmpty else { return response }
        return try await PageRewrite.apply(to: response) { page in
            var devices = (page["devices"] as? [[String: Any]] ?? []).filter { device in
                !hidden.contains(device["serial_number"] as? String ?? "")
            }
            if let carried, let device = try? JSONSerialization.jsonObject(with: carried) as? [String: Any] {
                devices.insert(device, at: 0)
            }
            page["devices"] = devices
        }
    }
}

/// A successful JSON page of fetch or sync, rewritten: what the misbehaviours do to one.
enum PageRewrite {
    /// `response` with `change` applied to its JSON object; any other answer as it was.
    static func apply(to response: Response, _ change: (inout [String: Any]) throws -> Void) async throws -> Response {
        guard response.status == .ok else { return response }
        let bytes = try await ResponseBytes.collect(response.body)
        guard var page = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return Response(
                status: response.status, headers: response.headers, body: .init(byteBuffer: .init(bytes: bytes)))
        }
        try change(&page)
        let rewritten = try JSONSerialization.data(
            withJSONObject: page, options: [.sortedKeys, .withoutEscapingSlashes])
        var headers = response.headers
        headers[.contentLength] = nil
        return Response(
            status: response.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: rewritten)))
    }

    /// The `cursor` of a fetch or sync request, and the request with its body still to read.
    static func cursor(of request: Request) async throws -> (Request, String?) {
        let body = try await request.body.collect(upTo: DEPCall.maximumBodySize)
        let cursor = (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])?["cursor"]
        var forwarded = request
        forwarded.body = RequestBody(buffer: body)
        return (forwarded, cursor as? String)
    }
}
