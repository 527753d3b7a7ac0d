import Foundation
import Hummingbird

/// An upload (a CSV file, a world snapshot) received into a temporary file, up to a byte limit,
/// so that the transaction that reads it reads it in chunks: memory stays flat whatever the
/// file's size. The file is removed when this goes away.
final class UploadFile: Sendable {
    let url: URL

    private init(url: URL) { self.url = url }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A new, empty temporary file.
    static func create(suffix: String = "upload") throws -> UploadFile {
        let upload = UploadFile(url: temporaryURL(suffix: suffix))
        guard FileManager.default.createFile(atPath: upload.url.path, contents: nil) else {
            throw PortalError(.tooLarge, "The upload could not be kept: no room in \(upload.url.path).")
        }
        return upload
    }

    /// Receives `body` into a new file (its size is capped by `RequestBodyMiddleware`).
    static func receive(_ body: RequestBody, suffix: String = "csv") async throws -> UploadFile {
        let upload = try create(suffix: suffix)
        let file = try FileHandle(forWritingTo: upload.url)
        defer { try? file.close() }
        var pending = ByteBuffer()
        for try await chunk in body {
            pending.writeImmutableBuffer(chunk)
            if pending.readableBytes >= 1 << 20 { try await write(&pending, to: file) }
        }
        try await write(&pending, to: file)
        return upload
    }

    private static func write(_ buffer: inout ByteBuffer, to file: FileHandle) async throws {
        let data = Data(buffer: buffer)
        buffer.clear()
        try await Offload.run { try file.write(contentsOf: data) }
    }

    /// A new, unused path in the temporary directory, named for this process: see `removeLeftovers`.
    static func temporaryURL(suffix: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(prefix)\(getpid())-\(UUID().uuidString).\(suffix)")
    }

    private static let prefix = "fakedep-"

    /// Removes the temporary files of fakedep processes that ended without removing their own
    /// (killed during an upload). A file's name carries the id of the process that made it, so
    /// the files of another fakedep still running are left alone.
    static func removeLeftovers(in directory: URL = FileManager.default.temporaryDirectory) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let owner = name.dropFirst(prefix.count).split(separator: "-").first.flatMap({ pid_t($0) }),
                owner != getpid(), kill(owner, 0) == -1, errno == ESRCH
            else { continue }
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }
}
