/// A failed DEP API call: the HTTP status and Apple's plain-text code (dep-api §6).
///
/// The server renders it (`status`, `body`); the agent builds it from what came back with
/// `init(status:body:)`, which also reads depsim's quoted codes (`"INVALID_CURSOR"`) and OAuth
/// problem reports (`oauth_problem=token_rejected`).
public struct DEPError: Error, Hashable, Sendable, CustomStringConvertible {
    public var status: Int
    /// The code, or `nil` when the body carried none (an empty 405, say).
    public var code: DEPErrorCode?

    /// The error Apple sends for `code`, with its usual status unless told otherwise.
    public init(_ code: DEPErrorCode, status: Int? = nil) {
        self.code = code
        self.status = status ?? code.status
    }

    /// An error with no code in its body.
    public init(status: Int) {
        self.status = status
        self.code = nil
    }

    /// Reads a response: trims whitespace and CR/LF, strips one pair of JSON quotes and an
    /// `oauth_problem=` prefix (up to the next `&`).
    public init(status: Int, body: String) {
        self.status = status
        var text = Substring(body).trimmingASCIIWhitespace()
        if text.count >= 2, text.first == "\"", text.last == "\"" {
            text = text.dropFirst().dropLast().trimmingASCIIWhitespace()
        }
        if let problem = OAuthProblem(reportBody: text) {
            text = Substring(problem.rawValue)
        }
        self.code = text.isEmpty ? nil : DEPErrorCode(rawValue: String(text))
    }

    /// The plain-text body to send: the bare code, or nothing.
    public var body: String {
        guard let code else { return "" }
        return OAuthProblem(rawValue: code.rawValue).map(\.reportBody) ?? code.rawValue
    }

    /// Whether the body names `code`.
    public func `is`(_ code: DEPErrorCode) -> Bool { self.code == code }

    public var description: String {
        code.map { "\(status) \($0.rawValue)" } ?? "HTTP \(status)"
    }
}

extension Substring {
    func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let end = lastIndex(where: { !isSpace($0) })!
        return self[start...end]
    }
}
