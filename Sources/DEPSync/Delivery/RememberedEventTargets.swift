import DEPWire
import Foundation

/// The event targets a state directory delivers to, remembered in it (the file `event-targets`,
/// readable only by its owner: it may hold the webhook's secret) so that they are set once, like
/// the service's URL.
public enum RememberedEventTargets {
    public static let fileName = "event-targets"

    /// The targets remembered in `stateDirectory`; none when nothing is remembered.
    public static func read(stateDirectory: String) throws -> EventTargets {
        guard let data = FileManager.default.contents(atPath: path(in: stateDirectory)) else { return EventTargets() }
        do {
            return try DEPJSON.decode(EventTargets.self, from: data)
        } catch {
            throw AgentError.unreadableEventTargets(path(in: stateDirectory))
        }
    }

    /// Remembers `targets` in `stateDirectory` (which must exist), replacing what it held.
    public static func remember(_ targets: EventTargets, stateDirectory: String) throws {
        let file = path(in: stateDirectory)
        if targets.names.isEmpty {
            try? FileManager.default.removeItem(atPath: file)
            return
        }
        try DEPJSON.encode(targets).write(to: URL(fileURLWithPath: file), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
    }

    private static func path(in stateDirectory: String) -> String {
        (stateDirectory as NSString).appendingPathComponent(fileName)
    }
}
