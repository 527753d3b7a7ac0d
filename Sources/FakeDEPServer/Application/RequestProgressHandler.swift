import NIOCore
import NIOHTTPTypes

/// Watches each exchange above HTTP decoding and tells `ConnectionGuard` when a request head is
/// complete and when its response has gone out.
final class RequestProgressHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) {
            context.triggerUserOutboundEvent(RequestProgress.headReceived, promise: nil)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if case .end = unwrapOutboundIn(data) {
            context.triggerUserOutboundEvent(RequestProgress.responseSent, promise: nil)
        }
    }
}
/// What `RequestProgressHandler` tells `ConnectionGuard`, as outbound user events.
enum RequestProgress {
    /// A complete request head was decoded.
    case headReceived
    /// A response was written in full.
    case responseSent
}
