import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 connection with fakedep's limits around it: `ConnectionGuard` next to
/// the socket (the connection cap, the header timeout), `RequestProgressHandler` above the HTTP
/// decoder, and Hummingbird's own idle timeout; and `RawReplyHandler` first of all, for the
/// transport faults that put bytes on the wire as they are.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let limits: HTTPLimits
    let connections: OpenConnections

    init(responder: @escaping HTTPChannelHandler.Responder, limits: HTTPLimits, connections: OpenConnections) {
        http1 = HTTP1Channel(
            responder: responder,
            configuration: .init(
                additionalChannelHandlers: [RequestProgressHandler()], idleTimeout: TimeAmount(limits.idleTimeout)))
        self.limits = limits
        self.connections = connections
    }

    /// A server builder for `Application(server:)`.
    static func builder(limits: HTTPLimits) -> HTTPServerBuilder {
        let connections = OpenConnections(maximum: limits.maximumConnections)
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: limits, connections: connections)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(RawReplyHandler())
            try channel.pipeline.syncOperations.addHandler(
                ConnectionGuard(headerTimeout: limits.headerTimeout, connections: connections))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return http1.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}
