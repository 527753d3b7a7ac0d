import Dispatch
import Foundation
import Synchronization

/// An `InventoryGenerator` drawing orders on a thread of its own while the caller stores the
/// previous ones, so that a seed uses both cores: drawing a million devices takes a fifth of a
/// seed. At most `capacity` orders wait between the two, so memory stays bounded.
///
/// The taken-checks run on the generator's thread, so they must not touch the store: a seed uses
/// the stream only when it holds the store's serials and order numbers in memory.
final class GeneratedOrderStream: Sendable {
    private struct State {
        var waiting: [GeneratedOrder] = []
        var finished = false
        var cancelled = false
    }

    private let state = Mutex(State())
    /// Counts free places: the generator waits on it when `capacity` orders are waiting.
    private let places: DispatchSemaphore
    /// Counts orders waiting, plus one when the generator has finished.
    private let ready = DispatchSemaphore(value: 0)

    /// Starts drawing `generator`'s orders.
    init(
        _ generator: InventoryGenerator, capacity: Int = 64,
        serialsTaken: @escaping @Sendable (String) -> Bool,
        orderNumbersTaken: @escaping @Sendable (String) -> Bool
    ) {
        places = DispatchSemaphore(value: capacity)
        let thread = Thread { [self] in
            var generator = generator
            while let order = generator.nextOrder(serialsTaken: serialsTaken, orderNumbersTaken: orderNumbersTaken) {
                guard hand(order) else { return }
            }
            state.withLock { $0.finished = true }
            ready.signal()
        }
        thread.name = "seed generator"
        thread.start()
    }

    /// The next order, waiting for it to be drawn; `nil` once the inventory is complete.
    func next() -> GeneratedOrder? {
        ready.wait()
        let order = state.withLock { state in state.waiting.isEmpty ? nil : state.waiting.removeFirst() }
        if order != nil { places.signal() }
        return order
    }

    /// Stops the generator (the caller stopped taking orders, on an error); it ends after the
    /// order it is drawing.
    func cancel() {
        state.withLock { $0.cancelled = true }
        places.signal()
    }

    /// Queues an order for `next`; `false` once cancelled.
    private func hand(_ order: GeneratedOrder) -> Bool {
        places.wait()
        let queued = state.withLock { state in
            guard !state.cancelled else { return false }
            state.waiting.append(order)
            return true
        }
        if queued { ready.signal() }
        return queued
    }
}
