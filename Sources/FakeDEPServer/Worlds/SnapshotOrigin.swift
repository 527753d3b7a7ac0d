import Foundation

/// The snapshot a world was made from, which resetting the world loads again: a temporary file
/// removed with a world in memory, a file beside the store of a kept one.
final class SnapshotOrigin: Sendable {
    let url: URL
    /// Holds the temporary file of a world in memory, so that it goes when the world goes.
    private let temporary: UploadFile?

    init(url: URL) {
        self.url = url
        temporary = nil
    }

    private init(temporary: UploadFile) {
        url = temporary.url
        self.temporary = temporary
    }

    /// Keeps the snapshot `world` was just loaded from (`upload`), at `path` for a kept world. A
    /// world whose tokens were dropped keeps a snapshot of itself instead, so a reset drops them too.
    static func keep(
        _ upload: UploadFile, of world: World, named name: String, tokens: WorldSnapshot.Tokens, at path: URL?
    ) async throws -> SnapshotOrigin {
        switch (tokens, path) {
        case (.keep, nil):
            return SnapshotOrigin(temporary: upload)
        case (.keep, let path?):
            try? FileManager.default.removeItem(at: path)
            try FileManager.default.copyItem(at: upload.url, to: path)
            return SnapshotOrigin(url: path)
        case (.drop, nil):
            let file = try UploadFile.create(suffix: WorldSnapshot.fileExtension)
            try await write(world, named: name, to: file.url)
            return SnapshotOrigin(temporary: file)
        case (.drop, let path?):
            guard FileManager.default.createFile(atPath: path.path, contents: nil) else {
                throw PortalError(.tooLarge, "The world's snapshot could not be kept: no room in \(path.path).")
            }
            try await write(world, named: name, to: path)
            return SnapshotOrigin(url: path)
        }
    }

    private static func write(_ world: World, named name: String, to url: URL) async throws {
        let file = try FileHandle(forWritingTo: url)
        defer { try? file.close() }
        try await world.writeSnapshot(named: name, to: file)
    }
}
