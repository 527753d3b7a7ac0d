import DEPCrypto
public import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A webhook receiver on a loopback port, for depsync's events: it answers as the test says
/// (accept, answer slowly, refuse) and keeps every post it got, with whether its signature held.
/// Before `start` and after `stop` nothing listens on its port: the receiver is down.
public final class WebhookReceiver: Sendable {
    /// How the receiver answers the next posts.
    public enum Behaviour: Sendable {
        /// 200.
        case accept
        /// 200, after `seconds`.
        case slow(seconds: Double)
        /// `status`, with a `Retry-After` when given.
        case refuse(status: Int, retryAfter: Int?)
    }

    /// One post received.
    public struct Post: Sendable {
        public var eventID: String?
        public var topic: String?
        public var body: Data
        /// Whether `X-DEPSync-Signature` is the HMAC-SHA256 of the body under the secret.
        public var signatureHolds: Bool
        /// The status answered.
        public var answered: Int
    }

    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)/hook" }
    private let secret: String?
    private let state = Mutex((behaviour: Behaviour.accept, posts: [Post](), arrivals: [Post]()))
    private let running = Mutex<(group: ServiceGroup, task: Task<Void, any Error>)?>(nil)

    /// A receiver for `port` (not listening yet) that checks signatures under `secret`.
    public init(port: Int, secret: String? = nil) {
        self.port = port
        self.secret = secret
    }

    /// Every post received, oldest first.
    public var posts: [Post] { state.withLock { $0.posts } }

    /// Every post as it arrived, before it was answered (its `answered` is 0).
    public var arrivals: [Post] { state.withLock { $0.arrivals } }

    /// The posts answered 2xx, oldest first.
    public var accepted: [Post] { posts.filter { (200..<300).contains($0.answered) } }

    /// Sets how the next posts are answered.
    public func behave(_ behaviour: Behaviour) {
        state.withLock { $0.behaviour = behaviour }
    }

    /// Starts listening.
    public func start() async throws {
        let router = Router()
        router.post("/hook") { [self] request, _ in
            let body = Data(try await request.body.collect(upTo: 64 << 20).readableBytesView)
            return try await answer(request, body: body)
        }
        var logger = Logger(label: "test-webhook")
        logger.logLevel = .warning
        let (ready, continuation) = AsyncStream.makeStream(of: Void.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { _ in continuation.yield() }, logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await group.run() }
        var iterator = ready.makeAsyncIterator()
        _ = await iterator.next()
        running.withLock { $0 = (group, task) }
    }

    /// Stops listening, and waits until it has.
    public func stop() async {
        guard
            let (group, task) = running.withLock({ value in
                defer { value = nil }; return value
            })
        else { return }
        await group.triggerGracefulShutdown()
        _ = await task.result
    }

    private func answer(_ request: Request, body: Data) async throws -> Response {
        let eventID = request.headers[HTTPField.Name("X-DEPSync-Event-ID")!]
        let topic = request.headers[HTTPField.Name("X-DEPSync-Topic")!]
        let behaviour = state.withLock { state in
            state.arrivals.append(Post(eventID: eventID, topic: topic, body: body, signatureHolds: false, answered: 0))
            return state.behaviour
        }
        var status = 200
        var headers = HTTPFields()
        switch behaviour {
        case .accept: break
        case .slow(let seconds): try await Task.sleep(for: .seconds(seconds))
        case .refuse(let refusal, let retryAfter):
            status = refusal
            if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        }
        let signature = request.headers[HTTPField.Name("X-DEPSync-Signature")!]
        let holds = secret.map { secret in
            signature == "sha256=" + HMACSHA256.hexAuthenticationCode(for: body, key: Array(secret.utf8))
        }
        let post = Post(
            eventID: eventID, topic: topic, body: body, signatureHolds: holds ?? (signature == nil), answered: status)
        state.withLock { $0.posts.append(post) }
        return Response(status: .init(code: status), headers: headers)
    }
}
