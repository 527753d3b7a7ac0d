/// When a connection's client owes the server a request head, as a state machine without I/O:
/// the clock runs from the moment a client connects, and on a kept-alive connection from the
/// first byte of the next request, until the head is complete. Between a response and that
/// first byte the connection is idle, which the idle timeout bounds instead.
struct RequestHeadClock {
    /// What the connection should do after an event.
    enum Action: Equatable {
        /// Start the clock: the head must be complete within the header timeout.
        case start
        /// Stop the clock: the head arrived.
        case stop
        /// Close the connection: the head did not arrive in time.
        case close
        case none
    }

    private enum State {
        /// Waiting for the rest of a request head; the clock runs.
        case awaitingHead
        /// Heads received and not yet answered; nothing is owed.
        case answering(requests: Int)
        /// Answered everything; waiting for the first byte of another request.
        case idle
    }

    private var state = State.awaitingHead

    /// The client connected: its first head is owed from now on.
    func connected() -> Action { .start }

    /// Bytes arrived from the client.
    mutating func received() -> Action {
        guard case .idle = state else { return .none }
        state = .awaitingHead
        return .start
    }

    /// A complete request head was decoded.
    mutating func headReceived() -> Action {
        switch state {
        case .awaitingHead, .idle:
            state = .answering(requests: 1)
            return .stop
        case .answering(let requests):
            // A pipelined request: its head came while an earlier one is being answered.
            state = .answering(requests: requests + 1)
            return .none
        }
    }

    /// A response was sent in full.
    mutating func responseSent() -> Action {
        guard case .answering(let requests) = state else { return .none }
        state = requests > 1 ? .answering(requests: requests - 1) : .idle
        return .none
    }

    /// The header timeout passed since the clock started.
    func timedOut() -> Action {
        guard case .awaitingHead = state else { return .none }
        return .close
    }
}
