import Hummingbird
import NIOCore

extension RequestBody {
    /// This body, with `observe` shown each chunk as the route reads it, and the bytes read so
    /// far, chunk included; what `observe` throws ends the body (a cap), what it keeps is a copy
    /// (the journal).
    func observed(_ observe: @escaping @Sendable (ByteBuffer, _ total: Int) throws -> Void) -> RequestBody {
        RequestBody(asyncSequence: ObservedBody(base: self, observe: observe))
    }
}

/// A request body whose chunks pass an observer on their way to the route.
private struct ObservedBody: AsyncSequence, Sendable {
    let base: RequestBody
    let observe: @Sendable (ByteBuffer, Int) throws -> Void

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let observe: @Sendable (ByteBuffer, Int) throws -> Void
        var total = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            total += buffer.readableBytes
            try observe(buffer, total)
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), observe: observe)
    }
}
