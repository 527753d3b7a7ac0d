import DEPCrypto
import Foundation

/// The certificate authorities a state directory trusts for its DEP service, kept in it (the
/// file `service-ca.pem`, a copy of the `--ca-file` given) beside the remembered URL, so an
/// `https://` fakedep's authority need be given once, and still holds when the file it was
/// copied from moves.
public enum RememberedServiceCA {
    /// The file in the state directory that holds the authorities, PEM.
    public static let fileName = "service-ca.pem"

    /// The remembered authorities' file in `stateDirectory`, if there is one.
    public static func file(stateDirectory: String) -> String? {
        let path = path(in: stateDirectory)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Copies the PEM certificates of `caFile` into `stateDirectory` (which must exist),
    /// replacing what it held; refuses a file that holds no certificate.
    public static func remember(caFile: String, stateDirectory: String) throws {
        guard let data = FileManager.default.contents(atPath: caFile) else {
            throw AgentError.invalidCAFile("\(caFile) cannot be read")
        }
        guard (try? Certificate(pem: String(decoding: data, as: UTF8.self))) != nil else {
            throw AgentError.invalidCAFile("\(caFile) holds no PEM certificate")
        }
        let path = path(in: stateDirectory)
        guard FileManager.default.contents(atPath: path) != data else { return }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Forgets the remembered authorities: the service is now one the system's store vouches for.
    public static func forget(stateDirectory: String) throws {
        guard let file = file(stateDirectory: stateDirectory) else { return }
        try FileManager.default.removeItem(atPath: file)
    }

    private static func path(in stateDirectory: String) -> String {
        (stateDirectory as NSString).appendingPathComponent(fileName)
    }
}
