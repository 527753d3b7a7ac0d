import COpenSSL

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// An RSA private key: the half of the MDM's key pair it keeps when uploading a certificate
/// to the portal (spec §1.1), read and written as PKCS#1 or PKCS#8, PEM or DER.
///
/// `@unchecked Sendable`: the `EVP_PKEY` is never modified after `init`, and OpenSSL allows
/// concurrent read-only use of a key.
public final class PrivateKey: @unchecked Sendable {
    /// The owned `EVP_PKEY *`, always an RSA key.
    let pointer: OpaquePointer

    /// Takes ownership of an `EVP_PKEY` already checked to be RSA.
    private init(adopting pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Generates a fresh RSA key pair (public exponent 65537).
    public static func generateRSA(bits: Int = 2048) throws(CryptoError) -> PrivateKey {
        CryptoError.clearQueue()
        guard (1024...16384).contains(bits) else {
            throw CryptoError(.keyGenerationFailed, reason: "\(bits) bits is outside 1024...16384")
        }
        guard let key = COpenSSL_EVP_RSA_gen(UInt32(bits)) else {
            throw CryptoError.fromQueue(.keyGenerationFailed)
        }
        return PrivateKey(adopting: key)
    }

    /// Reads an unencrypted key from PEM (`RSA PRIVATE KEY` or `PRIVATE KEY`) or DER (PKCS#1 or
    /// PKCS#8), whichever the bytes hold.
    public convenience init(bytes: Data) throws(CryptoError) {
        let bytes = [UInt8](bytes)
        if Encoding.looksLikePEM(bytes) {
            try self.init(adopting: Self.readPEM(bytes))
        } else {
            try self.init(adopting: Self.readDER(bytes))
        }
    }

    /// Reads an unencrypted PEM key: PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`.
    public convenience init(pem: String) throws(CryptoError) {
        try self.init(adopting: Self.readPEM(Array(pem.utf8)))
    }

    /// Reads an unencrypted DER key: PKCS#1 `RSAPrivateKey` or PKCS#8 `PrivateKeyInfo`.
    public convenience init(der: Data) throws(CryptoError) {
        try self.init(adopting: Self.readDER([UInt8](der)))
    }

    /// The modulus size, e.g. 2048.
    public var bitCount: Int {
        Int(EVP_PKEY_get_bits(pointer))
    }

    /// PEM, PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`), the framing nanodep writes (spec §1.1).
    public var pkcs1PEM: String {
        get throws(CryptoError) {
            try Encoding.write { PEM_write_bio_PrivateKey_traditional($0, pointer, nil, nil, 0, nil, nil) }.string
        }
    }

    /// PEM, PKCS#8 (`-----BEGIN PRIVATE KEY-----`), unencrypted.
    public var pkcs8PEM: String {
        get throws(CryptoError) {
            try Encoding.write { PEM_write_bio_PKCS8PrivateKey($0, pointer, nil, nil, 0, nil, nil) }.string
        }
    }

    /// DER, PKCS#1 `RSAPrivateKey`.
    public var pkcs1DER: Data {
        get throws(CryptoError) {
            try Data(Encoding.write { i2d_PrivateKey_bio($0, pointer) }.bytes)
        }
    }

    /// DER, PKCS#8 `PrivateKeyInfo`, unencrypted.
    public var pkcs8DER: Data {
        get throws(CryptoError) {
            try Data(Encoding.write { i2d_PKCS8PrivateKey_bio($0, pointer, nil, nil, 0, nil, nil) }.bytes)
        }
    }

    private static func readPEM(_ bytes: [UInt8]) throws(CryptoError) -> OpaquePointer {
        CryptoError.clearQueue()
        let input = try MemoryBIO(copying: bytes, failure: .notAPrivateKey)
        guard let key = PrivateKeyDecoder.pem.decode(bio: input.pointer) else {
            throw CryptoError.fromQueue(.notAPrivateKey)
        }
        return try requireRSA(key)
    }

    private static func readDER(_ bytes: [UInt8]) throws(CryptoError) -> OpaquePointer {
        CryptoError.clearQueue()
        let key = try Encoding.readDER(
            bytes,
            failure: .notAPrivateKey,
            decode: PrivateKeyDecoder.der.decode,
            free: { EVP_PKEY_free($0) }
        )
        return try requireRSA(key)
    }

    /// Passes an RSA key through; frees anything else and throws.
    private static func requireRSA(_ key: OpaquePointer) throws(CryptoError) -> OpaquePointer {
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA else {
            let type = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "unknown"
            EVP_PKEY_free(key)
            throw CryptoError(.notRSA, reason: "the key is \(type)")
        }
        return key
    }
}
