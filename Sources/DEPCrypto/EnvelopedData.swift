import COpenSSL

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// CMS `EnvelopedData` (RFC 5652), the middle layer of the DEP server token (spec §1.2).
public enum EnvelopedData {
    /// Encrypts `plaintext` to `certificate` the way the portal builds a server token (spec §1.2):
    /// RSA PKCS#1 v1.5 key transport, AES-128-CBC, an issuerAndSerialNumber recipient, encoded
    /// as BER with indefinite lengths (`30 80 …`) like Apple's streaming encoder.
    ///
    /// - Returns: the BER bytes of the `ContentInfo`, not yet in S/MIME form.
    /// - Throws: `CryptoError` with `.notRSA` for a non-RSA certificate, else `.encryptionFailed`.
    public static func encrypt(_ plaintext: Data, to certificate: Certificate) throws(CryptoError) -> Data {
        CryptoError.clearQueue()
        try certificate.requireRSA()
        let input = try MemoryBIO(copying: plaintext, failure: .encryptionFailed)

        guard let recipients = COpenSSL_sk_X509_new_null() else { throw CryptoError.fromQueue(.encryptionFailed) }
        // The stack only borrows the certificate; CMS_encrypt takes its own reference.
        defer { COpenSSL_sk_X509_free(recipients) }
        guard COpenSSL_sk_X509_push(recipients, certificate.pointer) > 0 else {
            throw CryptoError.fromQueue(.encryptionFailed)
        }

        // CMS_STREAM defers encryption to the output step, which then writes indefinite lengths.
        let flags = UInt32(CMS_BINARY | CMS_STREAM)
        guard let envelope = CMS_encrypt(recipients, input.pointer, EVP_aes_128_cbc(), flags) else {
            throw CryptoError.fromQueue(.encryptionFailed)
        }
        defer { CMS_ContentInfo_free(envelope) }

        let output = try MemoryBIO(failure: .encryptionFailed)
        guard i2d_CMS_bio_stream(output.pointer, envelope, input.pointer, Int32(flags)) == 1 else {
            throw CryptoError.fromQueue(.encryptionFailed)
        }
        return Data(output.bytes)
    }

    /// Opens an envelope encrypted to `certificate` with its private `key`: BER or DER, any
    /// content cipher the envelope names (AES-CBC, 3DES, …).
    ///
    /// Fails rather than return garbage: the key must match the certificate, the certificate
    /// must be a recipient, and OpenSSL's key-transport errors are reported, not masked.
    ///
    /// - Throws: `CryptoError` with `.notRSA`, `.wrongKey`, `.corruptData`, `.notEnvelopedData`,
    ///   `.notARecipient` or `.decryptionFailed`.
    public static func decrypt(
        _ envelope: Data,
        key: PrivateKey,
        certificate: Certificate
    ) throws(CryptoError) -> Data {
        CryptoError.clearQueue()
        try certificate.requireRSA()
        guard certificate.hasPublicKey(of: key) else {
            throw CryptoError(.wrongKey)
        }

        let contentInfo = try Encoding.readDER(
            [UInt8](envelope),
            failure: .corruptData,
            decode: { d2i_CMS_ContentInfo(nil, $0, $1) },
            free: { CMS_ContentInfo_free($0) }
        )
        defer { CMS_ContentInfo_free(contentInfo) }

        let type = OBJ_obj2nid(CMS_get0_type(contentInfo))
        guard type == NID_pkcs7_enveloped else {
            let name = OBJ_nid2sn(type).map { String(cString: $0) } ?? "unknown"
            throw CryptoError(.notEnvelopedData, reason: "content type is \(name)")
        }
        guard isRecipient(certificate, of: contentInfo) else {
            let identity = "issuer CN=\(certificate.issuerCommonName ?? "") serial \(certificate.serialNumber)"
            let reason = "the certificate has \(identity); \(describeRecipients(of: contentInfo))"
            throw CryptoError(.notARecipient, reason: reason)
        }

        // CMS_DEBUG_DECRYPT: report a failed key transport instead of carrying on with a random
        // key (OpenSSL's defence against padding oracles), which could yield garbage plaintext.
        // Callers decrypt a token file they were handed; none answers attackers' queries, so the
        // padding-oracle defence buys nothing and would hide a wrong key.
        let output = try MemoryBIO(failure: .decryptionFailed)
        CryptoError.clearQueue()
        let flags = UInt32(CMS_BINARY | CMS_DEBUG_DECRYPT)
        guard CMS_decrypt(contentInfo, key.pointer, certificate.pointer, nil, output.pointer, flags) == 1 else {
            throw CryptoError.fromQueue(.decryptionFailed)
        }
        return Data(output.bytes)
    }

    /// Whether a key-transport recipient names the certificate (issuer and serial, or key id).
    private static func isRecipient(_ certificate: Certificate, of contentInfo: OpaquePointer) -> Bool {
        guard let recipients = CMS_get0_RecipientInfos(contentInfo) else { return false }
        return (0..<COpenSSL_sk_CMS_RecipientInfo_num(recipients)).contains { index in
            guard let recipient = COpenSSL_sk_CMS_RecipientInfo_value(recipients, index) else { return false }
            return CMS_RecipientInfo_type(recipient) == CMS_RECIPINFO_TRANS
                && CMS_RecipientInfo_ktri_cert_cmp(recipient, certificate.pointer) == 0
        }
    }

    /// Names the key-transport recipients, for an error that says whom the envelope is for.
    private static func describeRecipients(of contentInfo: OpaquePointer) -> String {
        guard let recipients = CMS_get0_RecipientInfos(contentInfo) else { return "the envelope has no recipients" }
        let names = (0..<COpenSSL_sk_CMS_RecipientInfo_num(recipients)).compactMap { index -> String? in
            guard let recipient = COpenSSL_sk_CMS_RecipientInfo_value(recipients, index),
                CMS_RecipientInfo_type(recipient) == CMS_RECIPINFO_TRANS
            else { return nil }
            var keyID: UnsafeMutablePointer<ASN1_OCTET_STRING>?
            var issuer: OpaquePointer?
            var serial: UnsafeMutablePointer<ASN1_INTEGER>?
            guard CMS_RecipientInfo_ktri_get0_signer_id(recipient, &keyID, &issuer, &serial) == 1 else { return nil }
            guard let issuer, let serial else { return "a subject key identifier" }
            return "issuer CN=\(Certificate.commonName(in: issuer) ?? "") serial \(Certificate.hex(of: serial))"
        }
        CryptoError.clearQueue()
        return names.isEmpty
            ? "the envelope has no key-transport recipients"
            : "the envelope is for " + names.joined(separator: ", ")
    }
}
