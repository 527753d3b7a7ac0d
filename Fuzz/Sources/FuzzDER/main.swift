// DEPCrypto's DER readers, and the "PEM or DER" readers every file option goes through:
// certificates, keys and ES256 signatures, from any bytes. The first byte chooses the reader,
// the rest is the input: one OpenSSL decode per execution, not ten.
import DEPCrypto
import FuzzSupport

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One reader per selector value; the order is the selector's (the corpus depends on it).
let readers: [(Data) throws -> Any] = [
    { try Certificate(der: $0) },
    { try Certificate(bytes: $0) },
    { try PrivateKey(der: $0) },
    { try PrivateKey(bytes: $0) },
    { try ECPrivateKey(der: $0) },
    { try ECPrivateKey(bytes: $0) },
    { try ECPublicKey(der: $0) },
    { try ECPublicKey(bytes: $0) },
    { try ES256.rawSignature(fromDER: $0) },
    { try ES256.derSignature(fromRaw: $0) },
]

Fuzzer.run { input in
    guard let (selector, body) = input.choice else { return }
    _ = try? readers[Int(selector) % readers.count](Data(body))
}
