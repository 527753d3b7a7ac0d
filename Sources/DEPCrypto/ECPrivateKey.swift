import COpenSSL

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A P-256 EC private key: the key of an Apple Business/School Manager API account, which signs
/// the client assertion with ES256 (peers §5.2).
///
/// Reads PKCS#8 or SEC1, PEM or DER, and Apple's own PEM (PKCS#8 bytes under an
/// `EC PRIVATE KEY` label); writes PKCS#8, plain or in Apple's form.
///
/// `@unchecked Sendable`: the `EVP_PKEY` is never modified after `init`, and OpenSSL allows
/// concurrent read-only use of a key.
public final class ECPrivateKey: @unchecked Sendable {
    /// The owned `EVP_PKEY *`, always EC on P-256.
    let pointer: OpaquePointer

    private init(adopting pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Generates a fresh P-256 key pair.
    public static func generateP256() throws(CryptoError) -> ECPrivateKey {
        CryptoError.clearQueue()
        guard let key = COpenSSL_EVP_EC_gen("P-256") else { throw CryptoError.fromQueue(.keyGenerationFailed) }
        return ECPrivateKey(adopting: key)
    }

    /// Reads an unencrypted key from PEM (`PRIVATE KEY`, `EC PRIVATE KEY` holding SEC1 or, as
    /// Apple writes it, PKCS#8) or DER (PKCS#8 or SEC1), whichever the bytes hold.
    public convenience init(bytes: Data) throws(CryptoError) {
        let bytes = [UInt8](bytes)
        if Encoding.looksLikePEM(bytes) {
            try self.init(pem: String(decoding: bytes, as: UTF8.self))
        } else {
            try self.init(adopting: Self.readDER(bytes))
        }
    }

    /// Reads an unencrypted PEM key, whatever its label says: the DER under it decides.
    public convenience init(pem: String) throws(CryptoError) {
        guard let block = PEMBlock(pem) else {
            throw CryptoError(.notAPrivateKey, reason: "no PEM block with unencrypted base64 content")
        }
        try self.init(adopting: Self.readDER(block.der))
    }

    /// Reads an unencrypted DER key: PKCS#8 `PrivateKeyInfo` or SEC1 `ECPrivateKey`.
    public convenience init(der: Data) throws(CryptoError) {
        try self.init(adopting: Self.readDER([UInt8](der)))
    }

    /// DER, PKCS#8 `PrivateKeyInfo`, unencrypted.
    public var pkcs8DER: Data {
        get throws(CryptoError) {
            try Data(Encoding.write { i2d_PKCS8PrivateKey_bio($0, pointer, nil, nil, 0, nil, nil) }.bytes)
        }
    }

    /// PEM, PKCS#8 (`-----BEGIN PRIVATE KEY-----`), unencrypted.
    public var pkcs8PEM: String {
        get throws(CryptoError) {
            try Encoding.write { PEM_write_bio_PKCS8PrivateKey($0, pointer, nil, nil, 0, nil, nil) }.string
        }
    }

    /// Apple's download: the PKCS#8 bytes under an `-----BEGIN EC PRIVATE KEY-----` label
    /// (peers §5.2), which strict SEC1 readers refuse.
    public var applePEM: String {
        get throws(CryptoError) {
            PEMBlock.armour(try pkcs8DER, label: "EC PRIVATE KEY")
        }
    }

    /// PEM, SEC1 (`-----BEGIN EC PRIVATE KEY-----` holding an `ECPrivateKey`), what
    /// `openssl ec` writes.
    public var sec1PEM: String {
        get throws(CryptoError) {
            try Encoding.write { PEM_write_bio_PrivateKey_traditional($0, pointer, nil, nil, 0, nil, nil) }.string
        }
    }

    /// The public half.
    public var publicKey: ECPublicKey {
        get throws(CryptoError) {
            try ECPublicKey(der: Data(Encoding.write { i2d_PUBKEY_bio($0, pointer) }.bytes))
        }
    }

    private static func readDER(_ bytes: [UInt8]) throws(CryptoError) -> OpaquePointer {
        CryptoError.clearQueue()
        // The decoder tells PKCS#8 from the traditional (SEC1) form by the DER itself.
        let key = try Encoding.readDER(
            bytes,
            failure: .notAPrivateKey,
            decode: PrivateKeyDecoder.der.decode,
            free: { EVP_PKEY_free($0) }
        )
        return try ECPublicKey.requireP256(key)
    }
}
