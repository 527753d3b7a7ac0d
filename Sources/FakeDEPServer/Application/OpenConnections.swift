import Synchronization

/// The number of connections open across the whole server, against its cap.
final class OpenConnections: Sendable {
    let maximum: Int
    private let count = Atomic<Int>(0)

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Counts a new connection; false when it is one over the cap (it is counted all the same
    /// and must be closed, which `close()` then counts).
    func open() -> Bool {
        count.add(1, ordering: .relaxed).newValue <= maximum
    }

    /// Counts a connection gone.
    func close() {
        count.subtract(1, ordering: .relaxed)
    }
}
