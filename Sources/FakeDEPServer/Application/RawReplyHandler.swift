import Foundation
import NIOCore

/// Bytes to put on a connection as they are, below HTTP encoding, and how to end it: what a
/// transport fault sends (a malformed chunk, a cut body) where no well-formed HTTP answer will do.
struct RawReply: Sendable {
    enum Ending: Sendable {
        /// A normal close (FIN) once the bytes are out.
        case close
        /// A reset (RST): the connection is dropped, whatever is unsent is lost.
        case reset
    }

    var bytes: [UInt8]
    var ending: Ending
}

/// The first handler of every connection: on a `RawReply` (a user outbound event, sent from a
/// request's handler through the whole pipeline) it writes the bytes straight to the socket and
/// ends the connection as asked; everything else passes through.
final class RawReplyHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let reply = event as? RawReply else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        let channel = context.channel
        let closed = context.eventLoop.makePromise(of: Void.self)
        closed.futureResult.cascade(to: promise)
        if !reply.bytes.isEmpty {
            context.write(wrapOutboundOut(.byteBuffer(ByteBuffer(bytes: reply.bytes))), promise: nil)
            context.flush()
        }
        switch reply.ending {
        case .close:
            context.close(promise: closed)
        case .reset:
            // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            guard let options = channel as? any SocketOptionProvider else {
                context.close(promise: closed)
                return
            }
            options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in
                channel.close(promise: closed)
            }
        }
    }
}
