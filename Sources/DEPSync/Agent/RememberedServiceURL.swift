import Foundation

/// The DEP service a state directory talks to, remembered in it (the file `service-url`) so that
/// the service's URL need be given once, not on every command.
public enum RememberedServiceURL {
    /// The file in the state directory that holds the URL, one line.
    public static let fileName = "service-url"

    /// The URL remembered in `stateDirectory`, if any.
    public static func read(stateDirectory: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path(in: stateDirectory)) else { return nil }
        let url = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return url.isEmpty ? nil : url
    }

    /// Remembers `url` in `stateDirectory` (which must exist), replacing what it held.
    public static func remember(_ url: String, stateDirectory: String) throws {
        guard read(stateDirectory: stateDirectory) != url else { return }
        try Data((url + "\n").utf8).write(to: URL(fileURLWithPath: path(in: stateDirectory)), options: .atomic)
    }

    private static func path(in stateDirectory: String) -> String {
        (stateDirectory as NSString).appendingPathComponent(fileName)
    }
}
