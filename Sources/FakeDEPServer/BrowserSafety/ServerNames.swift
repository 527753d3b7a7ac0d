/// The host names a server answers to on its own surfaces (the portal, test control, the web
/// pages): the loopback names, the address it listens on, the address a connection reached, and
/// the names it was told it is reached by (`--public-host`). A page on a name of its own that
/// resolves to this server (DNS rebinding) carries that name in `Host`, and is told apart.
struct ServerNames: Sendable {
    /// Lowercased, without brackets or a trailing dot.
    private let names: Set<String>

    /// - Parameters:
    ///   - boundHost: the address the server listens on; a wildcard (`0.0.0.0`, `::`) adds no name.
    ///   - publicHosts: the names clients reach it by, through a proxy or DNS.
    ///   - certificateNames: the names of the TLS certificate it serves, once it serves one.
    init(boundHost: String, publicHosts: [String], certificateNames: [String] = []) {
        var names: Set<String> = ["localhost", "127.0.0.1", "::1"]
        for name in [boundHost] + publicHosts + certificateNames {
            let normalised = Self.normalised(name)
            if !normalised.isEmpty, normalised != "0.0.0.0", normalised != "::" { names.insert(normalised) }
        }
        self.names = names
    }

    /// Whether `host` (a name or address, without its port) is one of the server's, or the
    /// address the connection reached (`localAddress`), which only a client that knows it sends.
    func contains(_ host: String, localAddress: String? = nil) -> Bool {
        let host = Self.normalised(host)
        return names.contains(host) || (localAddress.map { Self.normalised($0) == host } ?? false)
    }

    /// The host of an authority (`Host` or an origin's `host:port`): its port, brackets and
    /// trailing dot removed, lowercased; and the port, when one is given.
    static func split(authority: String) -> (host: String, port: Int?) {
        var host = Substring(authority)
        var port: Int?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return (normalised(String(host)), nil) }
            let rest = host[host.index(after: close)...]
            if rest.hasPrefix(":") { port = Int(rest.dropFirst()) }
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
            port = Int(host[host.index(after: colon)...])
            host = host[..<colon]
        }
        return (normalised(String(host)), port)
    }

    private static func normalised(_ name: String) -> String {
        var name = name.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        while name.hasSuffix(".") { name.removeLast() }
        return name
    }
}
