import Foundation
import Hummingbird

/// An answer streamed from a file in 64 KiB chunks, so a large one (a report, a world snapshot)
/// never sits in memory.
enum FileResponse {
    /// The file at `url` as a `200` answer with `headers`; `owner` (which removes the file when it
    /// goes away) is kept alive until the file has been sent.
    static func make(_ url: URL, headers: HTTPFields, keeping owner: some AnyObject & Sendable) throws -> Response {
        let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        let body = ResponseBody(contentLength: size) { writer in
            let reading = try FileHandle(forReadingFrom: url)
            defer { try? reading.close() }
            while let chunk = try await Offload.run({ try reading.read(upToCount: 1 << 16) }), !chunk.isEmpty {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            withExtendedLifetime(owner) {}
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
