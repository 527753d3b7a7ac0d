import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Watches each exchange above HTTP decoding. It tells `ConnectionGuard` when a request head is
/// complete and when its response has gone out, and it ends a connection whose response left
/// before the request's body was read to its end (a refusal of a body too large, malformed or
/// in a coding the server does not decode) rather than let the server read the rest only to
/// throw it away: the response says `Connection: close`, the server stops reading, shuts its
/// side once the response is sent and closes the connection a little later, so the client
/// can read the answer first (RFC 9112 §9.6, a lingering close).
final class RequestProgressHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long a connection stays half-closed after a response that left a body unread.
    static let lingerTime = TimeAmount.seconds(2)

    private var requestsReceived = 0
    private var responsesSent = 0
    private var closesAfterResponse = false
    private var isLingering = false
    private var lingerEnd: Scheduled<Void>?

    func handlerRemoved(context: ChannelHandlerContext) {
        lingerEnd?.cancel()
        lingerEnd = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            context.triggerUserOutboundEvent(RequestProgress.headReceived, promise: nil)
        case .body:
            break
        case .end:
            requestsReceived += 1
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response) where requestsReceived <= responsesSent:
            // The request this answers has not been read to its end.
            closesAfterResponse = true
            response.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case .end:
            responsesSent += 1
            context.write(data, promise: promise)
            context.triggerUserOutboundEvent(RequestProgress.responseSent, promise: nil)
            if closesAfterResponse, !isLingering { linger(context) }
        case .head, .body:
            context.write(data, promise: promise)
        }
    }

    func read(context: ChannelHandlerContext) {
        // Whatever is left of an unread body stays unread.
        guard !isLingering else { return }
        context.read()
    }

    private func linger(_ context: ChannelHandlerContext) {
        isLingering = true
        context.flush()
        context.close(mode: .output, promise: nil)
        lingerEnd = context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) {
            context.close(promise: nil)
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
