import COpenSSL

/// PEM/DER plumbing shared by keys, certificates and envelopes.
enum Encoding {
    /// Whether the bytes carry PEM armour (`-----BEGIN `) rather than binary DER.
    static func looksLikePEM(_ bytes: [UInt8]) -> Bool {
        let armour = Array("-----BEGIN ".utf8)
        guard bytes.count >= armour.count else { return false }
        return (0...(bytes.count - armour.count)).contains { start in
            bytes[start..<(start + armour.count)].elementsEqual(armour)
        }
    }

    /// Parses one DER (or BER) object that must span all of `bytes`.
    ///
    /// - Parameters:
    ///   - decode: an OpenSSL `d2i_*` call that advances the cursor past what it read.
    ///   - free: releases the object when trailing bytes make the input invalid.
    static func readDER(
        _ bytes: [UInt8],
        failure: CryptoError.Kind,
        decode: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?,
        free: (OpaquePointer) -> Void
    ) throws(CryptoError) -> OpaquePointer {
        guard !bytes.isEmpty else { throw CryptoError(failure, reason: "no data") }
        let (object, consumed): (OpaquePointer?, Int) = bytes.withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress else { return (nil, 0) }
            var cursor: UnsafePointer<UInt8>? = start
            let object = decode(&cursor, buffer.count)
            return (object, cursor.map { $0 - start } ?? 0)
        }
        guard let object else { throw CryptoError.fromQueue(failure) }
        guard consumed == bytes.count else {
            free(object)
            throw CryptoError(failure, reason: "\(bytes.count - consumed) trailing bytes after the encoded object")
        }
        return object
    }

    /// Runs an OpenSSL writer (`PEM_write_bio_*`, `i2d_*_bio`) into a fresh memory buffer.
    ///
    /// - Parameter write: returns OpenSSL's status; anything but 1 is a failure.
    static func write(
        failure: CryptoError.Kind = .encodingFailed,
        _ write: (OpaquePointer) -> Int32
    ) throws(CryptoError) -> MemoryBIO {
        CryptoError.clearQueue()
        let output = try MemoryBIO(failure: failure)
        guard write(output.pointer) == 1 else { throw CryptoError.fromQueue(failure) }
        return output
    }
}
