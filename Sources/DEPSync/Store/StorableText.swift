import Foundation

extension String {
    /// The text as SQLite keeps it whole. GRDB binds text as a C string (length −1), which an
    /// embedded NUL would end, storing the text cut short; each NUL becomes U+FFFD instead, so
    /// nothing after it is lost.
    var storable: String {
        contains("\0") ? replacingOccurrences(of: "\0", with: "\u{FFFD}") : self
    }
}
