/// Keeps secrets out of the journal: a session token in `/session`'s answer is replaced; OAuth
/// signatures and token secrets travel in headers, which the journal does not keep.
enum Redaction {
    static let mark = "REDACTED"

    /// `body` as the journal may keep it.
    static func redact(_ body: String?, operation: String) -> String? {
        guard let body, operation == "session" else { return body }
        return body.replacing(/"auth_session_token"\s*:\s*"[^"]*"/, with: #""auth_session_token":"\#(mark)""#)
    }
}
