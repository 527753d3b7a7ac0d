import DEPWire
import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// Journals every request to a world: it sees the request before its route and the response
/// once its last byte is written (errors already rendered), keeps the first 64 KiB of each body
/// as read and written, and the refusal note domain code left (`Refusal.explain`).
struct JournalMiddleware: RouterMiddleware {
    typealias Context = FakeDEPContext

    /// How much of a body an entry keeps.
    static let bodyCapture = 64 << 10

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // No journal (`--journal-size 0`, or the control surface): nothing captured, nothing awaited.
        guard let journal = context.selectedJournal, let world = context.selectedWorld else {
            return try await next(request, context)
        }
        let started = ContinuousClock.now
        var entry = JournalEntry(
            seq: 0, time: Date(), worldTime: world.clock.now, method: request.method.rawValue,
            path: context.clientPath ?? request.uri.description, operation: "unknown", server: nil,
            protocolVersion: request.headers[DEPCall.versionHeader].flatMap { Int($0) },
            userAgent: request.headers[.userAgent], status: 0, durationMs: 0)
        let requestBody = Capture()
        var request = request
        request.body = request.body.observed { buffer, _ in requestBody.append(buffer) }
        let note = Refusal.Note()
        let faults = FaultNote()
        let response = try await Refusal.$note.withValue(note) {
            try await FaultNote.$current.withValue(faults) { try await next(request, context) }
        }
        entry.fault = faults.text
        if let sent = faults.endedAfter {
            // Nothing more will be written: the entry is what went out before the connection ended.
            entry.status = sent.status
            entry.operation = JournalOperation.name(method: entry.method, endpoint: context.endpointPath)
            entry.server = await Self.server(of: request, context: context, world: world)
            entry.durationMs = Double((ContinuousClock.now - started) / .microseconds(1)) / 1000
            entry.path = Redaction.redactPath(entry.path, operation: entry.operation)
            entry.requestBody = Redaction.redact(requestBody.takeText(), operation: entry.operation)
            let sentBody = sent.body.isEmpty ? nil : String(decoding: sent.body.prefix(Self.bodyCapture), as: UTF8.self)
            entry.responseBody = Redaction.redact(sentBody, operation: entry.operation)
            journal.record(entry)
            return response
        }

        entry.operation = JournalOperation.name(method: entry.method, endpoint: context.endpointPath)
        entry.path = Redaction.redactPath(entry.path, operation: entry.operation)
        entry.status = Int(response.status.code)
        entry.server = await Self.server(of: request, context: context, world: world)
        let responseBody = Capture()
        var captured = response
        let body = response.body
        let pending = entry
        captured.body = ResponseBody(contentLength: body.contentLength) { writer in
            try await body.write(CapturingWriter(base: writer, capture: responseBody))
            var entry = pending
            entry.durationMs = Double((ContinuousClock.now - started) / .microseconds(1)) / 1000
            entry.requestBody = Redaction.redact(requestBody.takeText(), operation: entry.operation)
            entry.responseBody = Redaction.redact(responseBody.takeText(), operation: entry.operation)
            // A refusal without a word from the domain is explained by its own body.
            if entry.status >= 400 { entry.why = note.why ?? entry.responseBody }
            journal.record(entry)
        }
        return captured
    }

    /// The MDM server a request came from (its session or OAuth consumer key) or names (`:server`).
    static func server(of request: Request, context: Context, world: World) async -> String? {
        if let session = request.headers[DEPCall.sessionHeader] {
            return world.serverName(forSession: session)
        }
        if request.uri.path == "/session", let authorization = request.headers[.authorization],
            let parameters = try? OAuthHeader.parse(authorization)
        {
            return try? await world.serverName(forConsumerKey: parameters.consumerKey)
        }
        return context.parameters.get("server").map { $0.removingPercentEncoding ?? $0 }
    }
}

/// The first bytes of a body, as they pass.
final class Capture: Sendable {
    private let state = Mutex<(kept: [UInt8], seen: Int)>(([], 0))

    func append(_ buffer: ByteBuffer) {
        state.withLock { state in
            state.seen += buffer.readableBytes
            let room = JournalMiddleware.bodyCapture - state.kept.count
            guard room > 0 else { return }
            // Copied once, straight from the buffer: every DEP page passes through here.
            buffer.withUnsafeReadableBytes { state.kept.append(contentsOf: $0.prefix(room)) }
        }
    }

    /// The bytes as text (invalid UTF-8 repaired), `nil` for an empty body, with a note when cut.
    /// Taken once the body has passed: the bytes are handed over, not copied, so they are gone.
    func takeText() -> String? {
        var (kept, seen) = state.withLock { state in
            defer { state.kept = [] }
            return (state.kept, state.seen)
        }
        guard seen > 0 else { return nil }
        if seen > kept.count { kept.append(contentsOf: "… (\(seen) bytes in all)".utf8) }
        return String(decoding: kept, as: UTF8.self)
    }
}

/// A response writer that keeps the first bytes written in a `Capture`.
private struct CapturingWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    let capture: Capture

    mutating func write(_ buffer: ByteBuffer) async throws {
        capture.append(buffer)
        try await base.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await base.finish(trailingHeaders)
    }
}
