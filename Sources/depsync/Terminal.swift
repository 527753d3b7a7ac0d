import Foundation

/// What goes to the terminal besides standard output.
enum Terminal {
    /// Whether standard error is a terminal (progress lines are shown only then).
    static let isInteractive = isatty(STDERR_FILENO) == 1

    /// Prints a warning line on standard error.
    static func warn(_ text: String) {
        FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
    }

    /// Rewrites the progress line on standard error (terminals only).
    static func progress(_ text: String) {
        guard isInteractive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    /// Ends a progress line.
    static func endProgress() {
        guard isInteractive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
