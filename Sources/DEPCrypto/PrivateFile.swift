public import Foundation

/// Writes a file whole, with its permissions set before any byte of it lands: a private key is
/// never readable by others, not even for a moment, and a reader sees the old file or the new.
/// Key files of both sides are written through it.
public enum PrivateFile {
    public static func write(_ data: Data, to path: String, permissions: Int) throws {
        let temporary = path + ".new"
        try? FileManager.default.removeItem(atPath: temporary)
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: nil, attributes: [.posixPermissions: permissions])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary]) }
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
