// DEPCrypto's PEM readers: certificates and RSA, EC private and public keys, from any text.
// The first byte chooses the reader, the rest is the text.
import DEPCrypto
import FuzzSupport

/// One reader per selector value; the order is the selector's (the corpus depends on it).
let readers: [(String) throws -> Any] = [
    { try Certificate(pem: $0) },
    { try PrivateKey(pem: $0) },
    { try ECPrivateKey(pem: $0) },
    { try ECPublicKey(pem: $0) },
]

Fuzzer.run { input in
    guard let (selector, body) = input.choice else { return }
    _ = try? readers[Int(selector) % readers.count](String(decoding: body, as: UTF8.self))
}
