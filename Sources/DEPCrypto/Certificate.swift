import COpenSSL

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// An X.509 certificate: what the MDM uploads to the portal so the token can be encrypted to
/// it (spec §1.1), read from PEM or DER.
///
/// `@unchecked Sendable`: the `X509` is never modified once `init` or `selfSigned` returns, and
/// OpenSSL allows concurrent read-only use of a certificate.
public final class Certificate: @unchecked Sendable {
    /// The owned `X509 *`.
    let pointer: OpaquePointer

    /// Takes ownership of an `X509`.
    init(adopting pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }

    /// Reads a certificate from PEM (the first `CERTIFICATE` block) or DER, whichever the bytes
    /// hold; the portal accepts both (spec §1.1).
    public convenience init(bytes: Data) throws(CryptoError) {
        let bytes = [UInt8](bytes)
        if Encoding.looksLikePEM(bytes) {
            try self.init(adopting: Self.readPEM(bytes))
        } else {
            try self.init(adopting: Self.readDER(bytes))
        }
    }

    /// Reads the first `-----BEGIN CERTIFICATE-----` block of a PEM text.
    public convenience init(pem: String) throws(CryptoError) {
        try self.init(adopting: Self.readPEM(Array(pem.utf8)))
    }

    /// Reads a DER certificate that spans all of `der`.
    public convenience init(der: Data) throws(CryptoError) {
        try self.init(adopting: Self.readDER([UInt8](der)))
    }

    /// The certificate as one PEM `CERTIFICATE` block.
    public var pem: String {
        get throws(CryptoError) {
            try Encoding.write { PEM_write_bio_X509($0, pointer) }.string
        }
    }

    /// The certificate as DER.
    public var der: Data {
        get throws(CryptoError) {
            try Data(Encoding.write { i2d_X509_bio($0, pointer) }.bytes)
        }
    }

    /// Whether `text` is standard base64 of exactly one DER X.509 certificate (a profile's
    /// `anchor_certs` and `supervising_host_certs` entries).
    public static func isBase64DER(_ text: String) -> Bool {
        guard !text.isEmpty, let der = Data(base64Encoded: text) else { return false }
        return (try? Certificate(der: der)) != nil
    }

    /// Whether the certificate carries an RSA public key, which token encryption needs (spec §1.2).
    public var isRSA: Bool {
        guard let key = X509_get0_pubkey(pointer) else { return false }
        return EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA
    }

    /// Throws `.notRSA`, naming the key type, unless the certificate carries an RSA key.
    func requireRSA() throws(CryptoError) {
        guard !isRSA else { return }
        let type = X509_get0_pubkey(pointer).flatMap { EVP_PKEY_get0_type_name($0) }.map { String(cString: $0) }
        throw CryptoError(.notRSA, reason: "the certificate's public key is \(type ?? "of an unknown type")")
    }

    /// Whether `key` is the private half of this certificate's public key.
    public func hasPublicKey(of key: PrivateKey) -> Bool {
        let matches = X509_check_private_key(pointer, key.pointer) == 1
        // A mismatch queues errors; they belong to no failure of ours.
        CryptoError.clearQueue()
        return matches
    }

    /// The subject's common name (CN), if it has one.
    public var subjectCommonName: String? {
        X509_get_subject_name(pointer).flatMap(Self.commonName)
    }

    /// The issuer's common name (CN), if it has one.
    public var issuerCommonName: String? {
        X509_get_issuer_name(pointer).flatMap(Self.commonName)
    }

    /// The serial number in upper-case hexadecimal as `openssl x509 -serial` prints it, e.g. `01`.
    public var serialNumber: String {
        X509_get0_serialNumber(pointer).map(Self.hex) ?? "00"
    }

    /// Start of the validity period, or `nil` if the certificate's time field is malformed.
    public var notBefore: Date? {
        X509_get0_notBefore(pointer).flatMap(Self.date)
    }

    /// End of the validity period, or `nil` if the certificate's time field is malformed.
    /// The portal does not check it (spec §1.1); it is informational.
    public var notAfter: Date? {
        X509_get0_notAfter(pointer).flatMap(Self.date)
    }

    private static func readPEM(_ bytes: [UInt8]) throws(CryptoError) -> OpaquePointer {
        CryptoError.clearQueue()
        let input = try MemoryBIO(copying: bytes, failure: .notACertificate)
        guard let certificate = PEM_read_bio_X509(input.pointer, nil, { _, _, _, _ in 0 }, nil) else {
            throw CryptoError.fromQueue(.notACertificate)
        }
        return certificate
    }

    private static func readDER(_ bytes: [UInt8]) throws(CryptoError) -> OpaquePointer {
        CryptoError.clearQueue()
        return try Encoding.readDER(
            bytes,
            failure: .notACertificate,
            decode: { d2i_X509(nil, $0, $1) },
            free: { X509_free($0) }
        )
    }

    /// An ASN.1 INTEGER in upper-case hexadecimal, two digits per byte, e.g. `01`, `-0A0B`.
    static func hex(of integer: UnsafePointer<ASN1_INTEGER>) -> String {
        guard let data = ASN1_STRING_get0_data(integer), ASN1_STRING_length(integer) > 0 else { return "00" }
        let bytes = UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(integer)))
        let digits = bytes.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
        return ASN1_STRING_type(integer) == V_ASN1_NEG_INTEGER ? "-" + digits : digits
    }

    /// The first common name (CN) in an `X509_NAME`.
    static func commonName(in name: OpaquePointer) -> String? {
        let index = X509_NAME_get_index_by_NID(name, NID_commonName, -1)
        guard index >= 0,
            let entry = X509_NAME_get_entry(name, index),
            let value = X509_NAME_ENTRY_get_data(entry)
        else { return nil }
        var utf8: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&utf8, value)
        guard length >= 0, let utf8 else {
            CryptoError.clearQueue()
            return nil
        }
        defer { COpenSSL_free(utf8) }
        return String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
    }

    /// Converts an `ASN1_TIME` by measuring its distance from the Unix epoch.
    private static func date(_ time: UnsafePointer<ASN1_TIME>) -> Date? {
        guard let epoch = ASN1_TIME_set(nil, 0) else { return nil }
        defer { ASN1_TIME_free(epoch) }
        var days: Int32 = 0
        var seconds: Int32 = 0
        guard ASN1_TIME_diff(&days, &seconds, epoch, time) == 1 else {
            CryptoError.clearQueue()
            return nil
        }
        return Date(timeIntervalSince1970: Double(days) * 86_400 + Double(seconds))
    }
}
