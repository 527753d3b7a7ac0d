#if canImport(Glibc)
    import Glibc
#endif

/// Blocking test work (waiting for a child, a blocking socket) on a POSIX thread of its own:
/// never on the cooperative pool the in-process servers need, nor on Dispatch's workers, which a
/// busy test run can use up (every test server's libcurl client blocks one).
public enum OwnThread {
    /// Runs `work` on a new thread and returns at once.
    public static func run(_ work: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(WorkBox(work)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<WorkBox>.fromOpaque(context!).takeRetainedValue().work()
                return nil
            }, box)
        precondition(created == 0, "pthread_create failed: \(created)")
        pthread_detach(thread)
    }

    /// Runs a blocking call on a new thread and awaits its result.
    public static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            run { continuation.resume(with: Result { try work() }) }
        }
    }

    /// A closure passed through `pthread_create`'s context pointer.
    private final class WorkBox: Sendable {
        let work: @Sendable () -> Void
        init(_ work: @escaping @Sendable () -> Void) { self.work = work }
    }
}
