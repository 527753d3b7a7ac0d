import COpenSSL

/// An OpenSSL memory BIO: the buffer OpenSSL reads input from and writes output to.
///
/// Owns its `BIO` and frees it in `deinit`; used by one operation at a time, never shared.
final class MemoryBIO {
    /// The `BIO *`, valid for the lifetime of this object.
    let pointer: OpaquePointer

    /// An empty buffer for OpenSSL to write into.
    init(failure: CryptoError.Kind) throws(CryptoError) {
        guard let bio = BIO_new(BIO_s_mem()) else { throw CryptoError.fromQueue(failure) }
        pointer = bio
        // Report end of data as EOF, not "retry later": the buffer never grows while being read.
        _ = COpenSSL_BIO_set_mem_eof_return(bio, 0)
    }

    /// A buffer holding a copy of `bytes`, for OpenSSL to read from.
    convenience init(
        copying bytes: some Sequence<UInt8>,
        failure: CryptoError.Kind
    ) throws(CryptoError) {
        try self.init(failure: failure)
        let array = Array(bytes)
        guard !array.isEmpty else { return }
        guard let length = Int32(exactly: array.count) else {
            throw CryptoError(failure, reason: "input of \(array.count) bytes is too large for a BIO")
        }
        let written = array.withUnsafeBytes { BIO_write(pointer, $0.baseAddress, length) }
        guard written == length else { throw CryptoError.fromQueue(failure) }
    }

    deinit {
        BIO_free(pointer)
    }

    /// The bytes not yet read from the buffer.
    var bytes: [UInt8] {
        var start: UnsafeMutablePointer<CChar>?
        let count = COpenSSL_BIO_get_mem_data(pointer, &start)
        guard let start, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// The bytes not yet read, as text (PEM output is ASCII).
    var string: String {
        String(decoding: bytes, as: UTF8.self)
    }
}
