import DEPCrypto
public import Foundation

/// An organisation's supervision identity as Apple Configurator makes it (peers §6): a private
/// key and a self-signed certificate naming the organisation. The certificate's base64 DER is
/// what a DEP profile's `supervising_host_certs` lists (dep-api §5.1).
public struct SupervisionIdentity: Sendable {
    /// The private key, PKCS#1 PEM.
    public var keyPEM: String
    /// The certificate, PEM.
    public var certificatePEM: String
    /// The certificate, DER.
    public var certificateDER: Data

    /// The certificate as a profile's `supervising_host_certs` entry: base64 DER, one line.
    public var profileEntry: String { certificateDER.base64EncodedString() }

    /// Makes a fresh RSA-2048 identity whose certificate's common name is `organisation`,
    /// valid for `days` from `notBefore`.
    public static func make(organisation: String, days: Int = 3650, notBefore: Date = Date()) throws
        -> SupervisionIdentity
    {
        guard !organisation.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw PortalError(.invalidRequest, "A supervision identity needs the organisation's name.")
        }
        do {
            let key = try PrivateKey.generateRSA()
            let certificate = try Certificate.selfSigned(
                key: key, commonName: organisation, days: days, serial: UInt64.random(in: 1...UInt64(Int64.max)),
                notBefore: notBefore)
            return SupervisionIdentity(
                keyPEM: try key.pkcs1PEM, certificatePEM: try certificate.pem, certificateDER: try certificate.der)
        } catch {
            throw PortalError(.invalidRequest, "Cannot make a supervision identity: \(error)")
        }
    }
}
