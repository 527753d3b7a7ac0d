import COpenSSL

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

extension Certificate {
    /// Makes the MDM's "DEP token request" certificate: self-signed X.509 v3,
    /// sha256WithRSAEncryption, Key Usage (critical) digitalSignature + keyEncipherment and
    /// basicConstraints CA:FALSE, as nanodep generates it (spec §1.1).
    ///
    /// - Parameters:
    ///   - key: the RSA key whose public half the certificate carries and which signs it.
    ///   - commonName: subject and issuer CN, e.g. `deptokens`.
    ///   - days: validity length from `notBefore`, at least 1.
    ///   - serial: the serial number; nanodep uses 1.
    ///   - notBefore: start of validity; pass a clock's time for deterministic output.
    ///   - subjectAlternativeNames: entries such as `DNS:localhost` or `IP:127.0.0.1`, written as a
    ///     non-critical subjectAltName so the certificate can serve TLS as its own trust anchor;
    ///     none by default, which adds no extension.
    public static func selfSigned(
        key: PrivateKey,
        commonName: String,
        days: Int,
        serial: UInt64 = 1,
        notBefore: Date = Date(),
        subjectAlternativeNames: [String] = []
    ) throws(CryptoError) -> Certificate {
        CryptoError.clearQueue()
        guard let validDays = Int32(exactly: days), validDays >= 1 else {
            throw CryptoError(.certificateCreationFailed, reason: "validity of \(days) days is not a positive Int32")
        }
        // The entries are joined with commas into one openssl.cnf value; a comma would split one.
        if let entry = subjectAlternativeNames.first(where: { $0.isEmpty || $0.contains(",") }) {
            throw CryptoError(
                .certificateCreationFailed, reason: "subject alternative name \"\(entry)\" is empty or has a comma")
        }
        let certificate = try unsigned(
            key: key, commonName: commonName, days: validDays, serial: serial, notBefore: notBefore)
        let pointer = certificate.pointer
        try check(X509_set_issuer_name(pointer, X509_get_subject_name(pointer)) == 1)

        try addExtension(NID_key_usage, "critical,digitalSignature,keyEncipherment", to: pointer)
        try addExtension(NID_basic_constraints, "critical,CA:FALSE", to: pointer)
        if !subjectAlternativeNames.isEmpty {
            try addExtension(NID_subject_alt_name, subjectAlternativeNames.joined(separator: ","), to: pointer)
        }

        // X509_sign returns the signature length, 0 on failure.
        try check(X509_sign(pointer, key.pointer, EVP_sha256()) > 0)
        return certificate
    }

    /// A v3 certificate being built, not yet signed and without an issuer name: `key`'s public
    /// half, subject CN `commonName`, valid `days` from `notBefore`.
    static func unsigned(key: PrivateKey, commonName: String, days: Int32, serial: UInt64, notBefore: Date)
        throws(CryptoError) -> Certificate
    {
        guard let pointer = X509_new() else { throw CryptoError.fromQueue(.certificateCreationFailed) }
        // Owned from here on: an early throw frees it in deinit.
        let certificate = Certificate(adopting: pointer)

        var start = Int(notBefore.timeIntervalSince1970.rounded(.down))
        try check(X509_set_version(pointer, Int(X509_VERSION_3)) == 1)
        try check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(pointer), serial) == 1)
        try check(X509_time_adj_ex(X509_getm_notBefore(pointer), 0, 0, &start) != nil)
        try check(X509_time_adj_ex(X509_getm_notAfter(pointer), days, 0, &start) != nil)

        guard let name = X509_get_subject_name(pointer) else { throw CryptoError.fromQueue(.certificateCreationFailed) }
        let cn = Array(commonName.utf8)
        try check(X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8, cn, Int32(cn.count), -1, 0) == 1)
        try check(X509_set_pubkey(pointer, key.pointer) == 1)
        return certificate
    }

    /// Adds one v3 extension written in `openssl.cnf` syntax to a certificate being built;
    /// `issuer` (the certificate itself when `nil`) is where key identifiers are taken from.
    static func addExtension(_ nid: Int32, _ value: String, to pointer: OpaquePointer, issuer: OpaquePointer? = nil)
        throws(CryptoError)
    {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer ?? pointer, pointer, nil, nil, 0)
        guard let extensionPointer = X509V3_EXT_nconf_nid(nil, &context, nid, value) else {
            throw CryptoError.fromQueue(.certificateCreationFailed)
        }
        defer { X509_EXTENSION_free(extensionPointer) }
        try check(X509_add_ext(pointer, extensionPointer, -1) == 1)
    }

    static func check(_ succeeded: Bool) throws(CryptoError) {
        guard succeeded else { throw CryptoError.fromQueue(.certificateCreationFailed) }
    }
}
