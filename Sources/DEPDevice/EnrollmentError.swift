public import DEPCrypto

/// Why a device could not even ask its MDM for the enrollment profile; each description is
/// one line saying what to change.
public enum EnrollmentError: Error, Sendable, CustomStringConvertible {
    /// The cloud configuration names no MDM URL.
    case noEnrollmentURL
    case invalidURL(String)
    /// Setup Assistant enrolls over HTTPS only.
    case notHTTPS(String)
    /// The MDM's certificate does not chain to the profile's `anchor_certs` (or, with none, to
    /// the system's roots), or does not name the host.
    case untrustedServer(url: String, anchored: Bool, detail: String)
    case unreachable(url: String, detail: String)
    /// The device identity could not be made or used.
    case identity(CryptoError)

    public var description: String {
        switch self {
        case .noEnrollmentURL:
            "The cloud configuration has no ConfigurationURL; the profile's url names the MDM's enrollment endpoint."
        case .invalidURL(let url): "The profile's url \"\(url)\" is not a URL."
        case .notHTTPS(let url):
            "\(url) is not HTTPS, and a device enrolls over HTTPS only; pass --allow-http to rehearse against a plain-HTTP MDM."
        case .untrustedServer(let url, let anchored, let detail):
            anchored
                ? "The device does not trust \(url): its certificate does not chain to the profile's anchor_certs (\(detail)); put the MDM's CA certificate in anchor_certs."
                : "The device does not trust \(url): its certificate does not chain to a system root (\(detail)); put the MDM's CA certificate in the profile's anchor_certs."
        case .unreachable(let url, let detail): "The device cannot reach the MDM at \(url): \(detail)."
        case .identity(let error): "The device identity failed: \(error)."
        }
    }
}
