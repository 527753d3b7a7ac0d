import COpenSSL

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A P-256 EC public key, as a SubjectPublicKeyInfo: what the fake portal keeps of an API
/// account's key to check its client assertions (peers §5.2).
///
/// `@unchecked Sendable`: the `EVP_PKEY` is never modified after `init`, and OpenSSL allows
/// concurrent read-only use of a key.
public final class ECPublicKey: @unchecked Sendable {
    /// The owned `EVP_PKEY *`, always EC on P-256, public part only.
    let pointer: OpaquePointer

    private init(adopting pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Reads a SubjectPublicKeyInfo from PEM (`PUBLIC KEY`) or DER, whichever the bytes hold.
    public convenience init(bytes: Data) throws(CryptoError) {
        let bytes = [UInt8](bytes)
        if Encoding.looksLikePEM(bytes) {
            try self.init(pem: String(decoding: bytes, as: UTF8.self))
        } else {
            try self.init(adopting: Self.readDER(bytes))
        }
    }

    /// Reads a `-----BEGIN PUBLIC KEY-----` block.
    public convenience init(pem: String) throws(CryptoError) {
        guard let block = PEMBlock(pem), block.label == "PUBLIC KEY" else {
            throw CryptoError(.notAPublicKey, reason: "no PUBLIC KEY PEM block")
        }
        try self.init(adopting: Self.readDER(block.der))
    }

    /// Reads a DER SubjectPublicKeyInfo.
    public convenience init(der: Data) throws(CryptoError) {
        try self.init(adopting: Self.readDER([UInt8](der)))
    }

    /// DER SubjectPublicKeyInfo.
    public var der: Data {
        get throws(CryptoError) {
            try Data(Encoding.write { i2d_PUBKEY_bio($0, pointer) }.bytes)
        }
    }

    /// PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`).
    public var pem: String {
        get throws(CryptoError) {
            try Encoding.write { PEM_write_bio_PUBKEY($0, pointer) }.string
        }
    }

    private static func readDER(_ bytes: [UInt8]) throws(CryptoError) -> OpaquePointer {
        CryptoError.clearQueue()
        let key = try Encoding.readDER(
            bytes,
            failure: .notAPublicKey,
            decode: { d2i_PUBKEY(nil, $0, $1) },
            free: { EVP_PKEY_free($0) }
        )
        return try requireP256(key)
    }

    /// Passes an EC key on P-256 through; frees anything else and throws.
    static func requireP256(_ key: OpaquePointer) throws(CryptoError) -> OpaquePointer {
        var name = [CChar](repeating: 0, count: 64)
        var length = 0
        let isEC = EVP_PKEY_get_base_id(key) == EVP_PKEY_EC
        let hasGroup = isEC && EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1
        let group = hasGroup ? String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        // OpenSSL names P-256 by its X9.62 name.
        guard group == "prime256v1" else {
            let type = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "unknown"
            EVP_PKEY_free(key)
            CryptoError.clearQueue()
            throw CryptoError(
                .notP256, reason: isEC ? "the curve is \(group.isEmpty ? "unnamed" : group)" : "the key is \(type)")
        }
        return key
    }
}
