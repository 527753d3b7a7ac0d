import Synchronization

/// Why a request was refused, in words for its journal entry. Domain code says why where it
/// decides (`Refusal.explain`); the journal sets a note for each request it records, and code
/// running outside any request writes nowhere.
enum Refusal {
    /// The note of the request being handled, if it is journaled.
    @TaskLocal static var note: Note?

    /// Records why the current request is refused; the last word wins.
    static func explain(_ why: @autoclosure () -> String) {
        note?.set(why())
    }

    /// Holds one request's explanation.
    final class Note: Sendable {
        private let text = Mutex<String?>(nil)

        func set(_ why: String) { text.withLock { $0 = why } }

        var why: String? { text.withLock { $0 } }
    }
}
