import Dispatch

/// Blocking file I/O of the portal's uploads and reports, run on a Dispatch queue so that it
/// never occupies a thread of the cooperative pool (STYLE.md rule 11).
enum Offload {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
