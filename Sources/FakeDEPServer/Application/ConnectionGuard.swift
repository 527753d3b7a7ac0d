import NIOCore

/// The first handler of every connection, below HTTP decoding: it closes a connection beyond
/// the cap as soon as it is accepted, and one whose client does not finish a request head within
/// the header timeout (`RequestHeadClock`). It sees raw bytes, so a head trickled a byte at a
/// time is caught; `RequestProgressHandler` above the decoder tells it when a head is complete
/// and when a response has gone out.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let headerTimeout: TimeAmount
    private let connections: OpenConnections
    private var clock = RequestHeadClock()
    private var deadline: Scheduled<Void>?
    private var isCounted = false

    init(headerTimeout: Duration, connections: OpenConnections) {
        self.headerTimeout = TimeAmount(headerTimeout)
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { opened(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        if isCounted {
            isCounted = false
            connections.close()
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        perform(clock.received(), context)
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let progress = event as? RequestProgress else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch progress {
        case .headReceived: perform(clock.headReceived(), context)
        case .responseSent: perform(clock.responseSent(), context)
        }
        promise?.succeed()
    }

    /// Counts the connection once, and closes it if it is one too many; otherwise starts the
    /// clock for its first head.
    private func opened(_ context: ChannelHandlerContext) {
        guard !isCounted else { return }
        isCounted = true
        guard connections.open() else {
            // Closed on the next tick: the pipeline may still be being set up.
            context.eventLoop.assumeIsolated().execute { context.close(promise: nil) }
            return
        }
        perform(clock.connected(), context)
    }

    private func perform(_ action: RequestHeadClock.Action, _ context: ChannelHandlerContext) {
        switch action {
        case .start:
            deadline?.cancel()
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: headerTimeout) {
                self.deadline = nil
                self.perform(self.clock.timedOut(), context)
            }
        case .stop:
            deadline?.cancel()
            deadline = nil
        case .close:
            context.close(promise: nil)
        case .none:
            break
        }
    }
}
