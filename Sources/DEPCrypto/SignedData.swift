import COpenSSL

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// CMS `SignedData` (RFC 5652): how a device signs the MachineInfo it POSTs to an MDM, and how it
/// reads the signed enrollment profile the MDM answers with.
public enum SignedData {
    /// Signs `content` the way an MDM expects a device's MachineInfo: PKCS#7 SignedData as DER,
    /// content attached byte for byte, SHA-256, one signer whose certificate the message carries.
    ///
    /// - Throws: `CryptoError` with `.wrongKey` if `key` is not the certificate's, else `.signingFailed`.
    public static func sign(_ content: Data, certificate: Certificate, key: PrivateKey) throws(CryptoError) -> Data {
        CryptoError.clearQueue()
        guard certificate.hasPublicKey(of: key) else {
            throw CryptoError(.wrongKey, reason: "the key is not the private half of the signer certificate")
        }
        let input = try MemoryBIO(copying: content, failure: .signingFailed)

        // CMS_PARTIAL lets us name the digest instead of taking OpenSSL's default; CMS_BINARY keeps
        // the bytes as given (no CRLF translation); S/MIME capabilities list mail ciphers, moot here.
        let flags = UInt32(CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP)
        guard let message = CMS_sign(nil, nil, nil, nil, flags) else { throw CryptoError.fromQueue(.signingFailed) }
        defer { CMS_ContentInfo_free(message) }
        // The message takes its own references to the certificate and key.
        guard CMS_add1_signer(message, certificate.pointer, key.pointer, EVP_sha256(), flags) != nil,
            CMS_final(message, input.pointer, nil, flags) == 1
        else { throw CryptoError.fromQueue(.signingFailed) }

        let output = try MemoryBIO(failure: .signingFailed)
        guard i2d_CMS_bio(output.pointer, message) == 1 else { throw CryptoError.fromQueue(.signingFailed) }
        return Data(output.bytes)
    }

    /// Reads SignedData (DER or BER) with its content attached and checks every signature against
    /// the signer certificates the message carries.
    ///
    /// Certificates are not checked against any trust anchor: a device's identity comes from no
    /// CA we hold. Decide whom to trust from the returned `signers`.
    ///
    /// - Throws: `CryptoError` with `.corruptData`, `.notSignedData` or `.badSignature`.
    public static func open(_ der: Data) throws(CryptoError) -> SignedContent {
        CryptoError.clearQueue()
        let message = try Encoding.readDER(
            [UInt8](der),
            failure: .corruptData,
            decode: { d2i_CMS_ContentInfo(nil, $0, $1) },
            free: { CMS_ContentInfo_free($0) }
        )
        defer { CMS_ContentInfo_free(message) }

        let type = OBJ_obj2nid(CMS_get0_type(message))
        guard type == NID_pkcs7_signed else {
            let name = OBJ_nid2sn(type).map { String(cString: $0) } ?? "unknown"
            throw CryptoError(.notSignedData, reason: "content type is \(name)")
        }
        guard CMS_is_detached(message) == 0 else {
            throw CryptoError(.notSignedData, reason: "the content is detached, not in the message")
        }
        // CMS_verify accepts a message with no signers, which would vouch for nothing.
        guard let signerInfos = CMS_get0_SignerInfos(message), COpenSSL_sk_CMS_SignerInfo_num(signerInfos) > 0 else {
            throw CryptoError(.badSignature, reason: "the message has no signers")
        }

        // CMS_NO_SIGNER_CERT_VERIFY checks each signature against its carried certificate, not the
        // certificate's chain; CMS_BINARY returns the content without CRLF translation.
        let output = try MemoryBIO(failure: .badSignature)
        let flags = UInt32(CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY)
        guard CMS_verify(message, nil, nil, nil, output.pointer, flags) == 1 else {
            throw CryptoError.fromQueue(.badSignature)
        }
        return SignedContent(content: Data(output.bytes), signers: signers(of: signerInfos))
    }

    /// The certificate of each signer, which a successful `CMS_verify` has attached to its signer info.
    private static func signers(of signerInfos: OpaquePointer) -> [Certificate] {
        (0..<COpenSSL_sk_CMS_SignerInfo_num(signerInfos)).compactMap { index in
            guard let signerInfo = COpenSSL_sk_CMS_SignerInfo_value(signerInfos, index) else { return nil }
            var certificate: OpaquePointer?
            CMS_SignerInfo_get0_algs(signerInfo, nil, &certificate, nil, nil)
            // The signer info only lends its certificate; take a reference of our own.
            guard let certificate, X509_up_ref(certificate) == 1 else { return nil }
            return Certificate(adopting: certificate)
        }
    }
}

/// What a verified `SignedData` carried.
public struct SignedContent: Sendable {
    /// The signed bytes, exactly as signed.
    public var content: Data
    /// Each signer's certificate, in the message's order: who signed, not whether to trust them.
    public var signers: [Certificate]
}
