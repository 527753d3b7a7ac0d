import COpenSSL

/// HMAC-SHA256 (RFC 2104 with SHA-256) through OpenSSL: the signature depsync puts on the events
/// it posts, so that a receiver can tell them from forgeries.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(for message: some Collection<UInt8>, key: some Collection<UInt8>) -> [UInt8] {
        let message = Array(message)
        let keyLength = key.count
        // OpenSSL reads a NULL key as "no key"; an empty key is a valid (if weak) HMAC key, so it
        // is passed as a buffer of length zero.
        let keyBuffer = key.isEmpty ? [0] : Array(key)
        var code = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = keyBuffer.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                HMAC(
                    EVP_sha256(), keyBytes.baseAddress, Int32(keyLength),
                    messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count, &code, &length)
            }
        }
        // HMAC fails only without memory or a digest, neither of which can happen with SHA-256.
        precondition(result != nil, "OpenSSL's HMAC-SHA256 failed")
        return Array(code.prefix(Int(length)))
    }

    /// The code as lowercase hexadecimal, as signature headers carry it.
    public static func hexAuthenticationCode(for message: some Collection<UInt8>, key: some Collection<UInt8>)
        -> String
    {
        authenticationCode(for: message, key: key).map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
        }.joined()
    }
}
