import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// Hummingbird's HTTP/1.1 connection with fakedep's limits around it: `ConnectionGuard` next to
/// the socket (the connection cap, the header timeout), `RequestProgressHandler` above the HTTP
/// decoder, and Hummingbird's own idle timeout; and `RawReplyHandler` first of all, for the
/// transport faults that put bytes on the wire as they are. With TLS, `NIOSSLServerHandler` is
/// below them all, so the guard's clock runs from the handshake and a raw reply is encrypted.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let limits: HTTPLimits
    let connections: OpenConnections
    let tls: NIOSSLContext?

    init(
        responder: @escaping HTTPChannelHandler.Responder, limits: HTTPLimits, connections: OpenConnections,
        tls: NIOSSLContext?
    ) {
        http1 = HTTP1Channel(
            responder: responder,
            configuration: .init(
                additionalChannelHandlers: [RequestProgressHandler()], idleTimeout: TimeAmount(limits.idleTimeout)))
        self.limits = limits
        self.connections = connections
        self.tls = tls
    }

    /// A server builder for `Application(server:)`; HTTPS when given a TLS context.
    static func builder(limits: HTTPLimits, tls: NIOSSLContext? = nil) -> HTTPServerBuilder {
        let connections = OpenConnections(maximum: limits.maximumConnections)
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: limits, connections: connections, tls: tls)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
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
