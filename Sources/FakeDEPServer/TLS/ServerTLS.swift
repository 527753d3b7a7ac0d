import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How `fakedep` serves HTTPS: with a certificate it issues itself from a certificate authority
/// of its own (kept in a directory, made on first use), or with a certificate of the user's.
public enum ServerTLS: Sendable {
    /// A server certificate issued by fakedep's own authority in `directory` (`LocalAuthority`).
    case localAuthority(directory: String)
    /// The user's certificate (PEM, its chain after it) and private key (PEM) files.
    case certificateFiles(certificate: String, key: String)

    /// The hosts of Apple's services an MDM or a device talks to: the certificate fakedep issues
    /// names them, so a client whose Apple URLs cannot be changed reaches fakedep unmodified
    /// once its host resolves them to fakedep and trusts the authority.
    public static let appleHostNames = [
        "mdmenrollment.apple.com", "api-business.apple.com", "api-school.apple.com", "account.apple.com",
        "deploy.apple.com",
    ]

    /// The identity to serve: for `localAuthority`, one valid for the loopback names, Apple's
    /// hosts and `hosts` (what the server is also reached by); for `certificateFiles`, the
    /// user's, whatever it names.
    func identity(hosts: [String], now: Date = Date()) throws(TLSError) -> TLSIdentity {
        switch self {
        case .localAuthority(let directory):
            let authority = try LocalAuthority.open(directory: directory, now: now)
            return try authority.serverIdentity(
                subjectAlternativeNames: Self.subjectAlternativeNames(for: hosts), now: now)
        case .certificateFiles(let certificate, let key):
            return try TLSIdentity.load(certificateFile: certificate, keyFile: key)
        }
    }

    /// `DNS:localhost`, Apple's hosts, `IP:127.0.0.1`, `IP:::1` and each of `hosts` as a name or
    /// an address, once each; a wildcard address (`0.0.0.0`, `::`) names nothing.
    static func subjectAlternativeNames(for hosts: [String]) -> [String] {
        var entries = ["DNS:localhost"] + appleHostNames.map { "DNS:" + $0 } + ["IP:127.0.0.1", "IP:::1"]
        for host in hosts {
            var host = host.lowercased()
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            while host.hasSuffix(".") { host.removeLast() }
            guard !host.isEmpty, host != "0.0.0.0", host != "::", !host.contains(",") else { continue }
            let entry = (isAddress(host) ? "IP:" : "DNS:") + host
            if !entries.contains(entry) { entries.append(entry) }
        }
        return entries
    }

    /// Whether `text` is an IPv4 or IPv6 address.
    private static func isAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }
}
