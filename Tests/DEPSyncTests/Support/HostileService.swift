import DEPWire
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A DEP service that misbehaves on purpose, served over real HTTP on a free loopback port, for
/// the tests that drive depsync's libcurl transport at it: any status and header, bodies
/// streamed far past any sane size without being held, gzip bombs, garbage, endless pages.
///
/// Every request goes to the test's handler; where it answers `nil`, `/session` opens a session,
/// `/account` advertises pages of up to 1000 devices and anything else is a 404.
struct HostileService: Sendable {
    /// A request as the service received it.
    struct Request: Sendable {
        var method: String
        var path: String
        var body: Data
        /// How many requests to this path the service has received, this one included.
        var number: Int

        /// The cursor and limit of a fetch or sync request.
        var pageRequest: (cursor: String?, limit: Int?) {
            let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
            return (object?["cursor"] as? String, object?["limit"] as? Int)
        }
    }

    /// What the service answers to one request.
    struct Answer: Sendable, CustomStringConvertible {
        var status: Int
        var headers: [String: String] = [:]
        /// Sent first.
        var prefix: [UInt8] = []
        /// Sent `repeats` times after `prefix`, written as it goes: never held more than once.
        var chunk: [UInt8] = []
        var repeats = 0
        /// Sent last.
        var suffix: [UInt8] = []
        /// Whether a streamed body (one with repeats) announces its length; otherwise it is
        /// sent chunked, its size known only as it arrives.
        var announcesLength = false

        /// The body's length in all.
        var length: Int { prefix.count + chunk.count * repeats + suffix.count }

        var description: String { "HTTP \(status), \(length) bytes" }

        /// An answer with a text body.
        static func text(_ status: Int, _ body: String = "", headers: [String: String] = [:]) -> Answer {
            Answer(status: status, headers: headers, prefix: Array(body.utf8))
        }

        /// A 200 JSON answer.
        static func json(_ body: String, headers: [String: String] = [:]) -> Answer {
            .text(200, body, headers: ["Content-Type": DEPHeader.jsonContentType].merging(headers) { $1 })
        }

        /// A fetch or sync page of `devices` (JSON objects).
        static func page(_ devices: [String], more: Bool, cursor: String) -> Answer {
            .json(
                #"{"devices":[\#(devices.joined(separator: ","))],"fetched_until":"2026-05-28T08:00:00Z","#
                    + #""more_to_follow":\#(more),"cursor":"\#(cursor)"}"#)
        }

        /// A device object with `serial` (a JSON string's contents, escapes allowed) and a model.
        static func device(_ serial: String, model: String = "MacBook Air") -> String {
            #"{"serial_number":"\#(serial)","model":"\#(model)"}"#
        }

        /// A page that starts like any other and goes on with devices to about `bytes`, never
        /// closed: as long as the client reads, more devices come.
        static func endlessPage(bytes: Int) -> Answer {
            let chunk = Array(String(repeating: device("C02HOSTILE01") + ",", count: 512).utf8)
            return Answer(
                status: 200, headers: ["Content-Type": DEPHeader.jsonContentType], prefix: Array(#"{"devices":["#.utf8),
                chunk: chunk, repeats: bytes / chunk.count)
        }

        /// A well-formed page of about `bytes` holding the smallest devices JSON allows: far more
        /// devices than any limit, in a body under the size cap. With `byteOrderMark`, it starts
        /// with one, which `JSONDecoder` reads and DEPWire's page reader leaves to it.
        static func crowdedPage(bytes: Int, byteOrderMark: Bool = false) -> Answer {
            let chunk = Array(String(repeating: #"{"serial_number":"X"},"#, count: 1024).utf8)
            return Answer(
                status: 200, headers: ["Content-Type": DEPHeader.jsonContentType],
                prefix: Array(((byteOrderMark ? "\u{FEFF}" : "") + #"{"devices":["#).utf8),
                chunk: chunk, repeats: bytes / chunk.count,
                suffix: Array(
                    #"{"serial_number":"Y"}],"fetched_until":"2026-05-28T08:00:00Z","more_to_follow":false,"cursor":"c"}"#
                        .utf8))
        }

        /// About `bytes` of pseudo-random bytes, announced as JSON.
        static func garbage(bytes: Int) -> Answer {
            var state: UInt32 = 0x1234_5678
            let chunk = (0..<65_536).map { _ in
                state = state &* 1_664_525 &+ 1_013_904_223
                return UInt8(truncatingIfNeeded: state >> 24)
            }
            return Answer(
                status: 200, headers: ["Content-Type": DEPHeader.jsonContentType], chunk: chunk,
                repeats: bytes / chunk.count)
        }

        /// A gzip body (`Content-Encoding: gzip`, its small length announced) that expands to
        /// at least `expanded` bytes (`GzipBomb`).
        static func gzipBomb(expandingTo expanded: Int) -> Answer {
            let chunk = Array(Array(repeating: GzipBomb.period, count: 512).joined())
            let chunkExpansion = GzipBomb.periodExpansion * 512
            return Answer(
                status: 200,
                headers: ["Content-Type": DEPHeader.jsonContentType, "Content-Encoding": "gzip"],
                prefix: GzipBomb.head, chunk: chunk, repeats: (expanded + chunkExpansion - 1) / chunkExpansion,
                announcesLength: true)
        }
    }

    typealias Handler = @Sendable (Request) async -> Answer?

    let baseURL: String
    private let counter: RequestCounter

    /// The requests received for `path` so far.
    func requests(to path: String) async -> Int { await counter.count(path) }

    /// Runs `body` with a service answering with `handler`, then stops it gracefully.
    static func with<T: Sendable>(
        _ handler: @escaping Handler, _ body: @Sendable (HostileService) async throws -> T
    ) async throws -> T {
        let counter = RequestCounter()
        var logger = Logger(label: "hostile-service")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let path = request.uri.path
            let received = Request(
                method: request.method.rawValue, path: path, body: Data(body.readableBytesView),
                number: await counter.record(path))
            return Self.response(await handler(received) ?? Self.standardAnswer(received))
        }
        let app = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            task.cancel()
            _ = await task.result
            throw CancellationError()
        }
        let service = HostileService(baseURL: "http://127.0.0.1:\(port)", counter: counter)
        do {
            let result = try await body(service)
            await group.triggerGracefulShutdown()
            _ = await task.result
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = await task.result
            throw error
        }
    }

    /// What an ordinary DEP service answers.
    private static func standardAnswer(_ request: Request) -> Answer {
        switch request.path {
        case "/session": .json(#"{"auth_session_token":"hostile-session"}"#)
        case "/account":
            .json(
                #"{"server_name":"Hostile","urls":[{"uri":"/server/devices","http_method":["POST"],"#
                    + #""limit":{"default":100,"maximum":1000}},{"uri":"/devices/sync","http_method":["POST"],"#
                    + #""limit":{"default":100,"maximum":1000}}]}"#)
        default: .text(404, "NOT_FOUND")
        }
    }

    /// The answer as Hummingbird sends it: the repeated part written chunk by chunk, each write
    /// waiting for the connection (so the service's memory stays flat), until the client goes.
    private static func response(_ answer: Answer) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers { fields[HTTPField.Name(name)!] = value }
        let status = HTTPTypes.HTTPResponse.Status(code: answer.status)
        let length = answer.repeats == 0 || answer.announcesLength ? answer.length : nil
        let body = ResponseBody(contentLength: length) { writer in
            if !answer.prefix.isEmpty { try await writer.write(ByteBuffer(bytes: answer.prefix)) }
            let chunk = ByteBuffer(bytes: answer.chunk)
            for _ in 0..<answer.repeats { try await writer.write(chunk) }
            if !answer.suffix.isEmpty { try await writer.write(ByteBuffer(bytes: answer.suffix)) }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: fields, body: body)
    }
}

/// Counts requests by path.
private actor RequestCounter {
    private var counts: [String: Int] = [:]

    /// Counts a request to `path` and returns how many it has had.
    func record(_ path: String) -> Int {
        counts[path, default: 0] += 1
        return counts[path]!
    }

    func count(_ path: String) -> Int { counts[path] ?? 0 }
}
