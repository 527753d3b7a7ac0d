import Hummingbird
import Synchronization

/// A response body's bytes in memory, for the faults that send part of an answer or rewrite it
/// (DEP answers are small: a page of 1000 devices is under 1 MB).
enum ResponseBytes {
    static func collect(_ body: ResponseBody) async throws -> [UInt8] {
        let collected = Collected()
        try await body.write(CollectingWriter(collected: collected))
        return collected.bytes.withLock { $0 }
    }

    private final class Collected: Sendable {
        let bytes = Mutex<[UInt8]>([])
    }

    private struct CollectingWriter: ResponseBodyWriter {
        let collected: Collected

        mutating func write(_ buffer: ByteBuffer) async throws {
            collected.bytes.withLock { $0 += buffer.readableBytesView }
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
