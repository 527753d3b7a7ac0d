/// Keeps secrets out of the journal: a session token in `/session`'s answer, an ABM access
/// token in the token endpoint's answer and the signature of its client assertion (in a body or
/// a query string: the header and claims stay, to read), and an API account's private key in
/// the portal's answer. OAuth signatures, token secrets, bearer tokens, the admin token and its
/// sign-in cookie travel in headers, which the journal does not keep; the sign-in form, the only
/// body that holds the admin token, is a page's request, which is not journaled.
enum Redaction {
    static let mark = "REDACTED"

    /// `body` as the journal may keep it.
    static func redact(_ body: String?, operation: String) -> String? {
        guard let body else { return nil }
        switch operation {
        case "session":
            return body.replacing(/"auth_session_token"\s*:\s*"[^"]*"/, with: #""auth_session_token":"\#(mark)""#)
        case "abm_token":
            return redactAssertion(body).replacing(/"access_token"\s*:\s*"[^"]*"/, with: #""access_token":"\#(mark)""#)
        case "portal_create_api_account":
            return body.replacing(/"private_key"\s*:\s*"[^"]*"/, with: #""private_key":"\#(mark)""#)
        default:
            return body
        }
    }

    /// `path` (with its query) as the journal may keep it.
    static func redactPath(_ path: String, operation: String) -> String {
        operation == "abm_token" ? redactAssertion(path) : path
    }

    /// A request's path and query as the server's log may show them.
    static func loggedPath(_ pathAndQuery: String) -> String {
        let path = pathAndQuery.prefix { $0 != "?" }
        return TokenRoutes.paths.contains(String(path)) ? redactAssertion(pathAndQuery) : pathAndQuery
    }

    /// The `client_assertion` form parameter with its signature (the third part) replaced.
    private static func redactAssertion(_ text: String) -> String {
        text.replacing(/(client_assertion=[^&.]*\.[^&.]*\.)[^&]*/) { match in match.output.1 + mark }
    }
}
