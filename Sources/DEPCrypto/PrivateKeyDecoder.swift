import COpenSSL
import Synchronization

/// Reads private keys of any type through long-lived OpenSSL decoders, one for DER and one for
/// PEM.
///
/// OpenSSL 3 assembles a decoder chain on every `d2i_AutoPrivateKey` or
/// `PEM_read_bio_PrivateKey` call: about a millisecond, even for bytes that are plainly no
/// key. Built once and reused, a read costs tens of microseconds. A decoder context is not
/// safe to share between threads, hence the lock.
final class PrivateKeyDecoder: Sendable {
    static let der = PrivateKeyDecoder(inputType: "DER")
    static let pem = PrivateKeyDecoder(inputType: "PEM")

    /// The context and the cell it writes each decoded key into; `nil` if OpenSSL could not
    /// build one, and then every read fails.
    private let state: Mutex<Decoder?>

    /// `@unchecked Sendable`: only ever used under the lock.
    private struct Decoder: @unchecked Sendable {
        let context: OpaquePointer
        let output: UnsafeMutablePointer<OpaquePointer?>
    }

    /// - Parameter inputType: static, because OpenSSL keeps the pointer, not a copy.
    private init(inputType: StaticString) {
        // Both live as long as the process: the decoders are static.
        let output = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: 1)
        output.initialize(to: nil)
        let type = UnsafeRawPointer(inputType.utf8Start).assumingMemoryBound(to: CChar.self)
        let context = OSSL_DECODER_CTX_new_for_pkey(output, type, nil, nil, COpenSSL_EVP_PKEY_KEYPAIR(), nil, nil)
        // A passphrase callback that supplies none: encrypted keys fail, never prompt on a TTY.
        if let context { OSSL_DECODER_CTX_set_passphrase_cb(context, { _, _, _, _, _ in 0 }, nil) }
        state = Mutex(context.map { Decoder(context: $0, output: output) })
    }

    /// Decodes the first key at `cursor`, advancing it and `length` past what was read: the
    /// contract of a `d2i_*` call.
    func decode(_ cursor: UnsafeMutablePointer<UnsafePointer<UInt8>?>, _ length: Int) -> OpaquePointer? {
        state.withLock { decoder in
            guard let decoder else { return nil }
            var remaining = length
            decoder.output.pointee = nil
            guard OSSL_DECODER_from_data(decoder.context, cursor, &remaining) == 1 else {
                if let partial = decoder.output.pointee { EVP_PKEY_free(partial) }
                return nil
            }
            defer { decoder.output.pointee = nil }
            return decoder.output.pointee
        }
    }

    /// Decodes the first private key among the PEM blocks of `bio`, skipping blocks of other
    /// kinds, as `PEM_read_bio_PrivateKey` does.
    func decode(bio: OpaquePointer) -> OpaquePointer? {
        state.withLock { decoder in
            guard let decoder else { return nil }
            var position = COpenSSL_BIO_tell(bio)
            while true {
                decoder.output.pointee = nil
                if OSSL_DECODER_from_bio(decoder.context, bio) == 1, let key = decoder.output.pointee {
                    decoder.output.pointee = nil
                    return key
                }
                if let partial = decoder.output.pointee { EVP_PKEY_free(partial) }
                // Stop at the end, or where a failed block consumed nothing.
                let next = COpenSSL_BIO_tell(bio)
                guard COpenSSL_BIO_eof(bio) == 0, next > position else { return nil }
                position = next
            }
        }
    }
}
