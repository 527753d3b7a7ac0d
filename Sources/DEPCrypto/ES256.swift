import COpenSSL

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// ECDSA on P-256 with SHA-256, as JOSE writes it (RFC 7518 §3.4): the signature is `r || s`,
/// each 32 bytes big-endian, where OpenSSL reads and writes a DER `ECDSA-Sig-Value`.
public enum ES256 {
    /// The length of a JOSE signature: two 32-byte integers.
    public static let signatureLength = 64

    /// Signs `message` (hashed with SHA-256) and returns the 64-byte `r || s`.
    public static func sign(_ message: some DataProtocol, with key: ECPrivateKey) throws(CryptoError) -> Data {
        CryptoError.clearQueue()
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.fromQueue(.signingFailed) }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key.pointer) == 1 else {
            throw CryptoError.fromQueue(.signingFailed)
        }
        let input = [UInt8](message)
        var length = 0
        guard EVP_DigestSign(context, nil, &length, input, input.count) == 1 else {
            throw CryptoError.fromQueue(.signingFailed)
        }
        var der = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &der, &length, input, input.count) == 1 else {
            throw CryptoError.fromQueue(.signingFailed)
        }
        return try rawSignature(fromDER: Data(der.prefix(length)))
    }

    /// Whether `signature` (64-byte `r || s`) is `key`'s signature of `message`. A signature of
    /// the wrong length, or with `r` or `s` out of range, does not verify.
    public static func isValidSignature(_ signature: Data, of message: some DataProtocol, by key: ECPublicKey) -> Bool {
        guard let der = try? derSignature(fromRaw: signature) else { return false }
        CryptoError.clearQueue()
        defer { CryptoError.clearQueue() }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key.pointer) == 1 else { return false }
        let input = [UInt8](message)
        let signatureBytes = [UInt8](der)
        return EVP_DigestVerify(context, signatureBytes, signatureBytes.count, input, input.count) == 1
    }

    /// A DER `ECDSA-Sig-Value` as JOSE's 64-byte `r || s`.
    public static func rawSignature(fromDER der: Data) throws(CryptoError) -> Data {
        CryptoError.clearQueue()
        let signature = try Encoding.readDER(
            [UInt8](der), failure: .badSignature, decode: { d2i_ECDSA_SIG(nil, $0, $1) }, free: { ECDSA_SIG_free($0) })
        defer { ECDSA_SIG_free(signature) }
        var r: OpaquePointer?
        var s: OpaquePointer?
        ECDSA_SIG_get0(signature, &r, &s)
        var raw = [UInt8](repeating: 0, count: signatureLength)
        let half = signatureLength / 2
        let written = raw.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let r, let s, let start = buffer.baseAddress else { return false }
            return BN_bn2binpad(r, start, Int32(half)) == half && BN_bn2binpad(s, start + half, Int32(half)) == half
        }
        guard written else { throw CryptoError(.badSignature, reason: "r or s is longer than 32 bytes") }
        return Data(raw)
    }

    /// JOSE's 64-byte `r || s` as a DER `ECDSA-Sig-Value`, for OpenSSL (and `openssl dgst`).
    public static func derSignature(fromRaw raw: Data) throws(CryptoError) -> Data {
        guard raw.count == signatureLength else {
            throw CryptoError(.badSignature, reason: "an ES256 signature has 64 bytes, not \(raw.count)")
        }
        CryptoError.clearQueue()
        let bytes = [UInt8](raw)
        let half = signatureLength / 2
        guard let signature = ECDSA_SIG_new() else { throw CryptoError.fromQueue(.badSignature) }
        defer { ECDSA_SIG_free(signature) }
        let r = BN_bin2bn(bytes, Int32(half), nil)
        let s = bytes.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + half, Int32(half), nil) }
        // On success ECDSA_SIG_set0 owns r and s; on failure they are still ours to free.
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            throw CryptoError.fromQueue(.badSignature)
        }
        var output: UnsafeMutablePointer<UInt8>?
        let length = i2d_ECDSA_SIG(signature, &output)
        guard length > 0, let output else { throw CryptoError.fromQueue(.badSignature) }
        defer { COpenSSL_free(output) }
        return Data(bytes: output, count: Int(length))
    }
}
