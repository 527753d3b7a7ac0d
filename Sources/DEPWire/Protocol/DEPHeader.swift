/// Header names and fixed values of the DEP API (dep-api §2.6); names match case-insensitively.
public enum DEPHeader {
    /// Carries the session on every call but `/session`, and a rotated one in responses.
    public static let authSession = "X-ADM-Auth-Session"
    /// Selects the response shape (§2.7).
    public static let protocolVersion = "X-Server-Protocol-Version"
    /// Apple's spelling of the JSON content type, `UTF8` without a hyphen.
    public static let jsonContentType = "application/json;charset=UTF8"
}
