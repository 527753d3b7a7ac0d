/// A target events are kept for, each with its own place in the order of events.
public enum EventTargetName: String, Sendable, Hashable, CaseIterable, Codable {
    /// An HTTP receiver (`--webhook URL`).
    case webhook
    /// A command given each event on its standard input (`--exec CMD`).
    case exec
    /// `depsync events --follow`, printing JSON lines.
    case follow
}
