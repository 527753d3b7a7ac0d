import COpenSSL

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

extension Certificate {
    /// Makes a certificate authority of one's own: self-signed X.509 v3, sha256WithRSAEncryption,
    /// basicConstraints (critical) CA:TRUE and Key Usage (critical) keyCertSign + cRLSign, so a
    /// client that trusts it accepts the server certificates it issues (`serverCertificate`).
    ///
    /// - Parameters:
    ///   - key: the authority's RSA key, which signs it and what it issues.
    ///   - commonName: subject and issuer CN.
    ///   - days: validity length from `notBefore`, at least 1.
    ///   - serial: the serial number; a random one by default.
    public static func authority(
        key: PrivateKey, commonName: String, days: Int, serial: UInt64 = .random(in: 1...UInt64.max >> 1),
        notBefore: Date = Date()
    ) throws(CryptoError) -> Certificate {
        CryptoError.clearQueue()
        let certificate = try unsigned(
            key: key, commonName: commonName, days: try validDays(days), serial: serial, notBefore: notBefore)
        let pointer = certificate.pointer
        try check(X509_set_issuer_name(pointer, X509_get_subject_name(pointer)) == 1)
        try addExtension(NID_basic_constraints, "critical,CA:TRUE", to: pointer)
        try addExtension(NID_key_usage, "critical,keyCertSign,cRLSign", to: pointer)
        try addExtension(NID_subject_key_identifier, "hash", to: pointer)
        try check(X509_sign(pointer, key.pointer, EVP_sha256()) > 0)
        return certificate
    }

    /// Makes a TLS server certificate for `subjectAlternativeNames`, issued and signed by
    /// `authority`: basicConstraints CA:FALSE, Key Usage (critical) digitalSignature +
    /// keyEncipherment, Extended Key Usage serverAuth, and the names as a subjectAltName, which
    /// is what clients match a host against (browsers and Apple's TLS ignore the CN).
    ///
    /// - Parameters:
    ///   - key: the server's RSA key, whose public half the certificate carries.
    ///   - subjectAlternativeNames: entries such as `DNS:localhost` or `IP:127.0.0.1`, at least one.
    ///   - authority: the issuing certificate authority.
    ///   - authorityKey: its private key, which signs the certificate.
    ///   - days: validity length from `notBefore`, at least 1.
    ///   - serial: the serial number; a random one by default, so a re-issued certificate differs.
    public static func serverCertificate(
        key: PrivateKey, commonName: String, subjectAlternativeNames: [String], authority: Certificate,
        authorityKey: PrivateKey, days: Int, serial: UInt64 = .random(in: 1...UInt64.max >> 1),
        notBefore: Date = Date()
    ) throws(CryptoError) -> Certificate {
        CryptoError.clearQueue()
        guard !subjectAlternativeNames.isEmpty else {
            throw CryptoError(.certificateCreationFailed, reason: "a server certificate needs at least one name")
        }
        // The entries are joined with commas into one openssl.cnf value; a comma would split one.
        if let entry = subjectAlternativeNames.first(where: { $0.isEmpty || $0.contains(",") }) {
            throw CryptoError(
                .certificateCreationFailed, reason: "subject alternative name \"\(entry)\" is empty or has a comma")
        }
        guard authority.hasPublicKey(of: authorityKey) else {
            throw CryptoError(.wrongKey, reason: "the authority's key does not belong to its certificate")
        }
        let certificate = try unsigned(
            key: key, commonName: commonName, days: try validDays(days), serial: serial, notBefore: notBefore)
        let pointer = certificate.pointer
        try check(X509_set_issuer_name(pointer, X509_get_subject_name(authority.pointer)) == 1)
        try addExtension(NID_basic_constraints, "critical,CA:FALSE", to: pointer)
        try addExtension(NID_key_usage, "critical,digitalSignature,keyEncipherment", to: pointer)
        try addExtension(NID_ext_key_usage, "serverAuth", to: pointer)
        try addExtension(NID_subject_key_identifier, "hash", to: pointer)
        try addExtension(NID_authority_key_identifier, "keyid", to: pointer, issuer: authority.pointer)
        try addExtension(NID_subject_alt_name, subjectAlternativeNames.joined(separator: ","), to: pointer)
        try check(X509_sign(pointer, authorityKey.pointer, EVP_sha256()) > 0)
        return certificate
    }

    /// Whether `issuer`'s key made this certificate's signature.
    public func isSigned(by issuer: Certificate) -> Bool {
        guard let key = X509_get0_pubkey(issuer.pointer) else {
            CryptoError.clearQueue()
            return false
        }
        let verified = X509_verify(pointer, key) == 1
        // A failed check queues errors; they belong to no failure of ours.
        CryptoError.clearQueue()
        return verified
    }

    /// `days` as the `Int32` OpenSSL takes, if it is at least 1.
    private static func validDays(_ days: Int) throws(CryptoError) -> Int32 {
        guard let valid = Int32(exactly: days), valid >= 1 else {
            throw CryptoError(.certificateCreationFailed, reason: "validity of \(days) days is not a positive Int32")
        }
        return valid
    }
}
