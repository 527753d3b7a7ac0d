import COpenSSL

/// A failure in `DEPCrypto`: what went wrong, in our words, plus OpenSSL's own reason text.
public struct CryptoError: Error, CustomStringConvertible, Sendable {
    /// What kind of operation failed; switch on this, not on the text.
    public enum Kind: Sendable, Hashable {
        /// The bytes hold no X.509 certificate (PEM or DER).
        case notACertificate
        /// The bytes hold no unencrypted private key (PKCS#1 or PKCS#8, PEM or DER).
        case notAPrivateKey
        /// The key or certificate is not RSA, and DEP only uses RSA (spec §1.1).
        case notRSA
        /// The key is not an EC key on P-256, the only curve of ES256 (peers §5.2).
        case notP256
        /// The bytes hold no public key (SubjectPublicKeyInfo, PEM or DER).
        case notAPublicKey
        /// The private key does not belong to the certificate it was paired with.
        case wrongKey
        /// The envelope has no recipient matching the certificate (issuer and serial).
        case notARecipient
        /// The bytes are CMS, but not EnvelopedData.
        case notEnvelopedData
        /// The bytes are CMS, but not SignedData with its content attached.
        case notSignedData
        /// The bytes are not well-formed CMS (garbage, truncated or trailing data).
        case corruptData
        /// The envelope is well formed but could not be opened with this key.
        case decryptionFailed
        /// A signature in the SignedData does not verify against its signer certificate.
        case badSignature
        /// Building the envelope failed.
        case encryptionFailed
        /// Building the SignedData failed.
        case signingFailed
        /// Generating a key pair failed.
        case keyGenerationFailed
        /// Building or signing a certificate failed.
        case certificateCreationFailed
        /// Writing a key or certificate as PEM or DER failed.
        case encodingFailed
    }

    /// What kind of operation failed.
    public let kind: Kind
    /// The detail: OpenSSL's reasons drained from its error queue, or ours where OpenSSL was not
    /// the one to object (may be empty).
    public let reason: String
    /// Whether `reason` came from OpenSSL's error queue.
    private let isFromOpenSSL: Bool

    /// An error whose detail is ours, not OpenSSL's.
    init(_ kind: Kind, reason: String = "") {
        self.kind = kind
        self.reason = reason
        self.isFromOpenSSL = false
    }

    private init(_ kind: Kind, openSSLReason: String) {
        self.kind = kind
        self.reason = openSSLReason
        self.isFromOpenSSL = true
    }

    /// The error with the reasons OpenSSL queued on this thread since the last `clearQueue()`.
    static func fromQueue(_ kind: Kind) -> CryptoError {
        CryptoError(kind, openSSLReason: drainQueue())
    }

    /// What failed and why, in words a user can act on.
    public var description: String {
        switch (reason.isEmpty, isFromOpenSSL) {
        case (true, _): summary
        case (false, true): "\(summary) (OpenSSL: \(reason))"
        case (false, false): "\(summary) (\(reason))"
        }
    }

    private var summary: String {
        switch kind {
        case .notACertificate: "The data is not an X.509 certificate in PEM or DER form"
        case .notAPrivateKey: "The data is not an unencrypted private key in PEM or DER form (PKCS#1 or PKCS#8)"
        case .notRSA: "The key is not an RSA key; DEP server tokens need RSA"
        case .notP256: "The key is not an EC key on curve P-256; ES256 needs P-256"
        case .notAPublicKey: "The data is not a public key (SubjectPublicKeyInfo) in PEM or DER form"
        case .wrongKey: "The private key does not match the certificate; use the key pair uploaded to the portal"
        case .notARecipient: "The envelope was not encrypted to this certificate (no matching issuer and serial)"
        case .notEnvelopedData: "The CMS data is not EnvelopedData"
        case .notSignedData: "The CMS data is not SignedData with its content attached"
        case .corruptData: "The data is not well-formed CMS (truncated, corrupted or not CMS at all)"
        case .decryptionFailed: "The envelope could not be decrypted with this key"
        case .badSignature: "The signature does not verify; the content or signature was altered or the signer is wrong"
        case .encryptionFailed: "Encrypting the envelope failed"
        case .signingFailed: "Signing the content failed"
        case .keyGenerationFailed: "Generating the key failed"
        case .certificateCreationFailed: "Creating the certificate failed"
        case .encodingFailed: "Encoding the key or certificate failed"
        }
    }

    /// Forgets stale errors so a later failure reports only its own reasons.
    ///
    /// The queue is per thread; our calls into OpenSSL never suspend, so they stay on one thread.
    static func clearQueue() {
        ERR_clear_error()
    }

    /// Empties OpenSSL's error queue for this thread into one line, oldest reason first.
    private static func drainQueue() -> String {
        var reasons: [String] = []
        var code = ERR_get_error()
        while code != 0 {
            defer { code = ERR_get_error() }
            let text: String
            if let reason = ERR_reason_error_string(code) {
                let library = ERR_lib_error_string(code).map { String(cString: $0) + ": " } ?? ""
                text = library + String(cString: reason)
            } else {
                var buffer = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(code, &buffer, buffer.count)
                text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            if !reasons.contains(text) { reasons.append(text) }
        }
        return reasons.joined(separator: "; ")
    }
}
